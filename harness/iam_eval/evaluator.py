"""Evaluate every action x resource pair with moto's IAM policy evaluator (Apache-2.0),
corrected by the thin layer in ``harness.iam_eval.moto_policy``, and combine the
policies the way IAM's policy evaluation logic does.

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from harness.iam_eval.conditions import UnsupportedPolicyFeature
from harness.iam_eval.moto_policy import (
    Context,
    Policy,
    PolicyDocumentError,
    PolicyOutcome,
    PrincipalMatch,
)
from harness.iam_eval.resource_types import resource_type_arn

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]


@dataclass(frozen=True)
class PolicyInput:
    """A parsed policy document and the id results refer back to it by."""

    id: str
    document: Mapping[str, Any]


@dataclass(frozen=True)
class MatchedStatement:
    policy_id: str
    statement_index: int  # 1-based position in the policy's Statement list


@dataclass(frozen=True)
class PairResult:
    """The decision for one action on one resource."""

    action: str
    resource: str
    decision: Decision
    resource_type_arn: str | None
    matched: tuple[MatchedStatement, ...]
    missing_context_keys: tuple[str, ...]
    allowed_by_permissions_boundary: bool | None
    allowed_by_organizations: bool | None


@dataclass(frozen=True)
class SimulationRequest:
    principal: str
    account_id: str
    actions: Sequence[str]
    resources: Sequence[str]
    identity_policies: Sequence[PolicyInput]
    context: Mapping[str, str | list[str]] = field(default_factory=dict)
    permission_boundaries: Sequence[PolicyInput] | None = None
    resource_policy: PolicyInput | None = None
    # One list per organization level, root first and account last (AWS's order).
    service_control_policies: Sequence[Sequence[PolicyInput]] | None = None


class PolicyValidationError(ValueError):
    """A policy the evaluator rejects as malformed (AWS: MalformedPolicyDocument)."""

    def __init__(self, problems: Mapping[str, Sequence[str]]) -> None:
        self.problems = {key: list(value) for key, value in problems.items()}
        summary = "; ".join(f"{key}: {', '.join(value)}" for key, value in problems.items())
        super().__init__(f"Syntax errors in policy. {summary}")


class EvaluationInputError(ValueError):
    """A pair the evaluator cannot evaluate faithfully (AWS: InvalidInput): it depends on a
    policy feature outside what this evaluator implements (see README.md here)."""


@dataclass(frozen=True)
class _Policies:
    identity: list[Policy]
    boundary: list[Policy] | None
    resource: Policy | None
    scp_levels: list[list[Policy]] | None


def _load(request: SimulationRequest) -> _Policies:
    problems: dict[str, list[str]] = {}

    def load(entry: PolicyInput, *, resource_policy: bool = False) -> Policy | None:
        try:
            return Policy(entry.id, entry.document, resource_policy=resource_policy)
        except PolicyDocumentError as exc:
            problems.setdefault(entry.id, []).append(str(exc))
            return None

    def load_all(entries: Sequence[PolicyInput]) -> list[Policy]:
        return [p for p in (load(e) for e in entries) if p is not None]

    boundary = request.permission_boundaries
    resource = request.resource_policy
    scps = request.service_control_policies
    policies = _Policies(
        identity=load_all(request.identity_policies),
        boundary=None if boundary is None else load_all(boundary),
        resource=None if resource is None else load(resource, resource_policy=True),
        scp_levels=None if scps is None else [load_all(level) for level in scps],
    )
    if problems:
        raise PolicyValidationError(problems)
    return policies


def _context(raw: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    # Condition key names are case-insensitive; values keep their case.
    return {
        key.lower(): [value] if isinstance(value, str) else list(value)
        for key, value in raw.items()
    }


def _missing(outcomes: Sequence[PolicyOutcome], context: Context) -> tuple[str, ...]:
    """Condition keys of the statements that target the request, not supplied in the
    context: what AWS reports as MissingContextValues (first spelling wins)."""
    seen: dict[str, str] = {}
    for outcome in outcomes:
        for key in outcome.condition_keys:
            if key.lower() not in context:
                seen.setdefault(key.lower(), key)
    return tuple(seen.values())


def _pair(
    policies: _Policies, request: SimulationRequest, action: str, resource: str, context: Context
) -> PairResult:
    def ask(policy: Policy, principal: str | None = None) -> PolicyOutcome:
        return policy.evaluate(action, resource, principal, context)

    # Identity policies, then the resource policy (asked with the caller as principal): the
    # policies whose statements AWS reports in MatchedStatements.
    reported = [(p.policy_id, ask(p)) for p in policies.identity]
    identity_allows = any(outcome.allows for _, outcome in reported)
    grants: tuple[PrincipalMatch, ...] = ()
    if policies.resource is not None:
        resource_outcome = ask(policies.resource, request.principal)
        reported.append((policies.resource.policy_id, resource_outcome))
        grants = resource_outcome.grants
    own = [outcome for _, outcome in reported]

    boundary_allows: bool | None = None
    boundary_denies = False
    if policies.boundary is not None:
        outcomes = [ask(p) for p in policies.boundary]
        boundary_denies = any(o.denies for o in outcomes)
        boundary_allows = any(o.allows for o in outcomes) and not boundary_denies

    org_allows: bool | None = None
    org_denies = False
    if policies.scp_levels is not None:
        levels = [[ask(p) for p in level] for level in policies.scp_levels]
        org_denies = any(o.denies for level in levels for o in level)
        # Every level (root ... account) must allow the action; a Deny anywhere wins.
        org_allows = all(any(o.allows for o in level) for level in levels) and not org_denies

    # Same account: a resource policy that names the caller (or "*") grants on its own; one
    # that names only the caller's ACCOUNT delegates to the identity policies ("the
    # identity-based policy must also grant"). A permissions boundary still caps a grant
    # naming a role's ARN, but not one naming an IAM user's ARN or "*" (which covers the
    # role session): "an implicit deny in a permissions boundary does not limit the
    # permissions granted by a resource-based policy" to the user / the session.
    is_user = ":user/" in request.principal
    resource_grants = any(g in ("anyone", "caller") for g in grants)
    resource_unbounded = any(g == "anyone" or (g == "caller" and is_user) for g in grants)
    boundary_ok = boundary_allows is not False

    decision: Decision
    if any(o.denies for o in own) or boundary_denies or org_denies:
        decision = "explicitDeny"  # an explicit Deny in any policy always wins
    elif org_allows is False:
        decision = "implicitDeny"  # SCPs did not allow it
    elif resource_unbounded or ((resource_grants or identity_allows) and boundary_ok):
        decision = "allowed"
    else:
        decision = "implicitDeny"

    matched: list[MatchedStatement] = []
    if decision != "implicitDeny":
        for policy_id, outcome in reported:
            indexes = outcome.denies if decision == "explicitDeny" else outcome.allows
            matched += [MatchedStatement(policy_id, i) for i in indexes]
    return PairResult(
        action=action,
        resource=resource,
        decision=decision,
        resource_type_arn=resource_type_arn(action, resource),
        matched=tuple(matched),
        missing_context_keys=_missing(own, context),
        allowed_by_permissions_boundary=boundary_allows,
        allowed_by_organizations=org_allows,
    )


def simulate(request: SimulationRequest) -> list[PairResult]:
    """Evaluate every action x resource pair (actions outer, resources inner).

    Raises PolicyValidationError for malformed policies and EvaluationInputError for a pair
    that depends on a policy feature this evaluator does not implement.
    """
    policies = _load(request)
    context = _context(request.context)
    results: list[PairResult] = []
    for action in request.actions:
        for resource in request.resources:
            try:
                results.append(_pair(policies, request, action, resource, context))
            except UnsupportedPolicyFeature as exc:
                raise EvaluationInputError(
                    f"cannot evaluate {action!r} on {resource!r}: {exc}; the emulator refuses "
                    "rather than guess (see harness/iam_eval/README.md)"
                ) from exc
    return results
