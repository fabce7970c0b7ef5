"""Shared by the policy tests and their fixtures: the golden file and the planned variants."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.policy import Placeholders

GOLDEN_FILE = Path(__file__).resolve().parent / "golden" / "lambda_role_policy.json"
# The resource whose dependency closure is everything the role's policy is computed from.
POLICY_ADDRESS = "module.iam.aws_iam_role_policy.this"
# Golden variant name -> value of the root variable tracing_enabled.
VARIANTS = {"tracing_enabled": True, "tracing_disabled": False}
UPDATE_ENV_VAR = "SDA_UPDATE_GOLDEN"


@dataclass(frozen=True)
class PolicyPlans:
    """Plans (``show -json``) of one applied root stack, one per golden variant."""

    stack_name: str
    placeholders: Placeholders
    plans: Mapping[str, Mapping[str, Any]]


def load_golden() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    return loaded
