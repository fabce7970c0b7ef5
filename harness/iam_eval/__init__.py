"""IAM policy evaluation for the emulator: moto's own evaluator (Apache-2.0) behind a thin
layer that corrects its known departures from IAM (see README.md here)."""

from __future__ import annotations

from harness.iam_eval.conditions import SUPPORTED_OPERATORS
from harness.iam_eval.evaluator import (
    Decision,
    EvaluationInputError,
    MatchedStatement,
    PairResult,
    PolicyInput,
    PolicyValidationError,
    SimulationRequest,
    simulate,
)
from harness.iam_eval.positions import Position, Span, statement_spans
from harness.iam_eval.results import decisions_by_pair

__all__ = [
    "SUPPORTED_OPERATORS",
    "Decision",
    "EvaluationInputError",
    "MatchedStatement",
    "PairResult",
    "PolicyInput",
    "PolicyValidationError",
    "Position",
    "SimulationRequest",
    "Span",
    "decisions_by_pair",
    "simulate",
    "statement_spans",
]
