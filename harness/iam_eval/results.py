"""Read a SimulatePrincipalPolicy / SimulateCustomPolicy response the same way on AWS and
on the emulator.

AWS now returns ONE EvaluationResult per action whose top-level EvalDecision is the most
restrictive decision over all requested resources and whose EvalResourceName is the ARN
template of the resource type; per-resource decisions live in ResourceSpecificResults.
(Older responses had one EvaluationResult per action x resource.) Tests should read
decisions through ``decisions_by_pair`` so they do not depend on either layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def decisions_by_pair(response: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """{(action, resource ARN): "allowed" | "explicitDeny" | "implicitDeny"}."""
    decisions: dict[tuple[str, str], str] = {}
    for result in response["EvaluationResults"]:
        action = str(result["EvalActionName"])
        specific = result.get("ResourceSpecificResults") or []
        if specific:
            for item in specific:
                decisions[(action, str(item["EvalResourceName"]))] = str(
                    item["EvalResourceDecision"]
                )
        else:
            decisions[(action, str(result["EvalResourceName"]))] = str(result["EvalDecision"])
    return decisions
