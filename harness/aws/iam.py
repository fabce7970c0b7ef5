"""IAM policy simulation as a plain {(action, resource): decision} map.

On AWS this is the real IAM policy simulator; on the emulator it is our extension
(harness/emulator/extensions/iam_simulate.py), which answers in the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.iam_eval import decisions_by_pair
from harness.target import Target


def simulate_role(
    target: Target, role_arn: str, actions: Sequence[str], resources: Sequence[str]
) -> dict[tuple[str, str], str]:
    client = target.client("iam")
    decisions: dict[tuple[str, str], str] = {}
    paginator = client.get_paginator("simulate_principal_policy")
    for page in paginator.paginate(
        PolicySourceArn=role_arn, ActionNames=list(actions), ResourceArns=list(resources)
    ):
        decisions.update(decisions_by_pair(page))
    return decisions
