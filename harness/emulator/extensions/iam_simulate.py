"""iam:SimulatePrincipalPolicy and iam:SimulateCustomPolicy, which moto 5.2.5 lacks.

Decisions come from moto's own IAM policy evaluator behind the corrections in
harness.iam_eval; this module only gathers the policies from moto's IAM backend and
answers in AWS's response shape (query protocol XML, serialized by moto from the
botocore model):

* one EvaluationResult per action; its EvalDecision is the most restrictive decision over
  the requested resources (explicitDeny > implicitDeny > allowed), its EvalResourceName the
  ARN template of the resource type (``*`` when no ResourceArns were given), and the
  per-resource decisions are in ResourceSpecificResults, as AWS documents today;
* MatchedStatements: SourcePolicyId (inline policy name, managed policy name,
  ``PolicyInputList.N`` or ``ResourcePolicy``), SourcePolicyType (``role``, ``user``,
  ``group``, ``user-managed``, ``aws-managed``, ``IAM Policy``, ``resource``) and the
  statement's Start/EndPosition in the policy text;
* NoSuchEntity (404) for an unknown PolicySourceArn, MalformedPolicyDocument (400) for a
  policy that is not valid JSON or not a valid IAM policy, InvalidInput (400) for the rest,
  including a request whose answer depends on a policy feature the evaluator does not
  implement (it refuses rather than guesses).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from moto.core.responses import ActionResult
from moto.iam import exceptions as iam_exceptions
from moto.iam.responses import IamResponse

from harness.iam_eval import (
    EvaluationInputError,
    PairResult,
    PolicyInput,
    PolicyValidationError,
    SimulationRequest,
    simulate,
    statement_spans,
)

_ARN = re.compile(r"^arn:(?P<partition>[\w-]+):iam::(?P<account>\d{12}):(?P<kind>user|group|role)/")
_MAX_ITEMS_DEFAULT = 100
_RESTRICTIVENESS = {"explicitDeny": 2, "implicitDeny": 1, "allowed": 0}


@dataclass(frozen=True)
class _Source:
    """A policy document and how AWS names it in MatchedStatements."""

    policy_id: str
    policy_type: str
    text: str


def _invalid_input(message: str) -> Exception:
    error: Exception = iam_exceptions.InvalidInput(message)
    return error


def _malformed(message: str) -> Exception:
    error: Exception = iam_exceptions.MalformedPolicyDocument(message)
    return error


def _parse(source: _Source) -> PolicyInput:
    try:
        document = json.loads(source.text)
    except ValueError as exc:
        raise _malformed(f"Syntax errors in policy. ({source.policy_id}: {exc})") from exc
    if not isinstance(document, dict):
        raise _malformed(f"Syntax errors in policy. ({source.policy_id}: not a JSON object)")
    return PolicyInput(source.policy_id, document)


def _default_document(policy: Any) -> str:
    for version in policy.versions:
        if version.is_default:
            return str(version.document)
    return str(policy.versions[-1].document)


def _managed(policies: Iterable[Any]) -> list[_Source]:
    sources = []
    for policy in policies:
        kind = "aws-managed" if ":iam::aws:policy/" in policy.arn else "user-managed"
        sources.append(_Source(policy.name, kind, _default_document(policy)))
    return sources


def _inline(policies: Mapping[str, Any], kind: str) -> list[_Source]:
    return [
        _Source(name, kind, text if isinstance(text, str) else json.dumps(text))
        for name, text in policies.items()
    ]


def _principal_sources(backend: Any, arn: str) -> tuple[list[_Source], str | None]:
    """(identity policy sources, permissions boundary ARN) of a user, group or role."""
    match = _ARN.match(arn)
    if match is None:
        raise _invalid_input(
            f"Invalid PolicySourceArn {arn}: must be the ARN of an IAM user, group or role."
        )
    kind = match["kind"]
    not_found = iam_exceptions.NoSuchEntity(
        f"The {kind} with ARN {arn} cannot be found (PolicySourceArn)."
    )
    if kind == "role":
        role = next((r for r in backend.roles.values() if r.arn == arn), None)
        if role is None:
            raise not_found
        sources = _inline(role.policies, "role") + _managed(role.managed_policies.values())
        return sources, role.permissions_boundary_arn
    if kind == "group":
        group = next((g for g in backend.groups.values() if g.arn == arn), None)
        if group is None:
            raise not_found
        return _inline(group.policies, "group") + _managed(group.managed_policies.values()), None
    user = next((u for u in backend.users.values() if u.arn == arn), None)
    if user is None:
        raise not_found
    sources = _inline(user.policies, "user") + _managed(user.managed_policies.values())
    for group in backend.groups.values():
        if user in group.users:
            sources += _inline(group.policies, "group")
            sources += _managed(group.managed_policies.values())
    return sources, getattr(user, "permissions_boundary_arn", None)


def _context(entries: Sequence[Mapping[str, Any]] | None) -> dict[str, str | list[str]]:
    context: dict[str, str | list[str]] = {}
    for entry in entries or []:
        name = entry.get("ContextKeyName")
        if not name:
            raise _invalid_input("ContextEntries: every entry needs a ContextKeyName.")
        values = [str(v) for v in entry.get("ContextKeyValues") or []]
        kind = str(entry.get("ContextKeyType") or "")
        if kind.endswith("List") or (not kind and len(values) > 1):
            context[str(name)] = values
        elif values:
            context[str(name)] = values[0]
    return context


def _account_of(value: str | None, default: str) -> str:
    if not value:
        return default
    match = re.search(r"(\d{12})", value)
    return match.group(1) if match else default


class _Responder:
    """Turns evaluator results into AWS's SimulatePolicyResponse structure."""

    def __init__(self, sources: Sequence[_Source]) -> None:
        self._sources = {s.policy_id: s for s in sources}
        self._spans = {s.policy_id: statement_spans(s.text) for s in sources}

    def statements(self, pair: PairResult) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for matched in pair.matched:
            source = self._sources.get(matched.policy_id)
            if source is None:
                continue
            item: dict[str, Any] = {
                "SourcePolicyId": source.policy_id,
                "SourcePolicyType": source.policy_type,
            }
            spans = self._spans[source.policy_id]
            if 0 < matched.statement_index <= len(spans):
                span = spans[matched.statement_index - 1]
                item["StartPosition"] = {"Line": span.start.line, "Column": span.start.column}
                item["EndPosition"] = {"Line": span.end.line, "Column": span.end.column}
            if item not in out:
                out.append(item)
        return out

    def result(self, action: str, pairs: Sequence[PairResult], specific: bool) -> dict[str, Any]:
        decision = max((p.decision for p in pairs), key=_RESTRICTIVENESS.__getitem__)
        matched: list[dict[str, Any]] = []
        missing: list[str] = []
        for pair in pairs:
            if pair.decision == decision and decision != "implicitDeny":
                matched += [s for s in self.statements(pair) if s not in matched]
            missing += [k for k in pair.missing_context_keys if k not in missing]
        template = next((p.resource_type_arn for p in pairs if p.resource_type_arn), None)
        result: dict[str, Any] = {
            "EvalActionName": action,
            "EvalResourceName": template if specific and template else "*",
            "EvalDecision": decision,
            "MatchedStatements": matched,
            "MissingContextValues": missing,
        }
        boundary = [p.allowed_by_permissions_boundary for p in pairs]
        if all(b is not None for b in boundary):
            result["PermissionsBoundaryDecisionDetail"] = {
                "AllowedByPermissionsBoundary": all(boundary)
            }
        organizations = [p.allowed_by_organizations for p in pairs]
        if all(o is not None for o in organizations):
            result["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": all(organizations)}
        if specific:
            # Same-account simulation with resource ARNs: present but empty, per AWS.
            result["EvalDecisionDetails"] = {}
            result["ResourceSpecificResults"] = [self._specific(p) for p in pairs]
        return result

    def _specific(self, pair: PairResult) -> dict[str, Any]:
        item: dict[str, Any] = {
            "EvalResourceName": pair.resource,
            "EvalResourceDecision": pair.decision,
            "MatchedStatements": [] if pair.decision == "implicitDeny" else self.statements(pair),
            "MissingContextValues": list(pair.missing_context_keys),
        }
        if pair.allowed_by_permissions_boundary is not None:
            item["PermissionsBoundaryDecisionDetail"] = {
                "AllowedByPermissionsBoundary": pair.allowed_by_permissions_boundary
            }
        return item


def _run(
    response: Any,
    *,
    principal: str,
    account_id: str,
    sources: Sequence[_Source],
    boundary: _Source | None,
    resource_policy: _Source | None,
    scp_levels: Sequence[Sequence[_Source]] | None,
) -> Any:
    actions = [str(a) for a in response._get_param("ActionNames") or []]
    if not actions:
        raise _invalid_input("ActionNames must contain at least one action name.")
    resource_arns = [str(r) for r in response._get_param("ResourceArns") or []]
    resources = resource_arns or ["*"]
    context = _context(response._get_param("ContextEntries"))
    max_items = int(response._get_param("MaxItems") or _MAX_ITEMS_DEFAULT)
    marker = response._get_param("Marker")
    try:
        start = int(marker) if marker else 0
    except ValueError as exc:
        raise _invalid_input(f"Invalid Marker {marker!r}.") from exc
    if start < 0 or start > len(actions):
        raise _invalid_input(f"Invalid Marker {marker!r}.")

    request = SimulationRequest(
        principal=principal,
        account_id=_account_of(response._get_param("ResourceOwner"), account_id),
        actions=actions,
        resources=resources,
        identity_policies=[_parse(s) for s in sources],
        context=context,
        permission_boundaries=None if boundary is None else [_parse(boundary)],
        resource_policy=None if resource_policy is None else _parse(resource_policy),
        service_control_policies=(
            None if scp_levels is None else [[_parse(s) for s in level] for level in scp_levels]
        ),
    )
    try:
        pairs = simulate(request)
    except PolicyValidationError as exc:
        raise _malformed(str(exc)) from exc
    except EvaluationInputError as exc:
        raise _invalid_input(str(exc)) from exc

    everything = list(sources) + [s for s in (boundary, resource_policy) if s is not None]
    responder = _Responder(everything)
    width = len(resources)
    results = [
        responder.result(action, pairs[i * width : (i + 1) * width], bool(resource_arns))
        for i, action in enumerate(actions)
    ]
    page = results[start : start + max_items]
    body: dict[str, Any] = {"EvaluationResults": page, "IsTruncated": False}
    if start + max_items < len(results):
        body["IsTruncated"] = True
        body["Marker"] = str(start + max_items)
    return ActionResult(body)


def _input_list(response: Any, name: str) -> list[str]:
    return [str(p) for p in response._get_param(name) or []]


def _boundary_override(response: Any) -> _Source | None:
    boundaries = _input_list(response, "PermissionsBoundaryPolicyInputList")
    if len(boundaries) > 1:
        raise _invalid_input("PermissionsBoundaryPolicyInputList accepts only one policy.")
    if boundaries:
        return _Source("PermissionsBoundaryPolicyInputList.1", "IAM Policy", boundaries[0])
    return None


def _resource_policy(response: Any) -> _Source | None:
    text = response._get_param("ResourcePolicy")
    return None if not text else _Source("ResourcePolicy", "resource", str(text))


def simulate_principal_policy(self: Any) -> Any:
    """moto handler for Action=SimulatePrincipalPolicy."""
    if self._get_param("PolicyExclusionList"):
        raise _invalid_input("PolicyExclusionList is not supported by this emulator.")
    source_arn = str(self._get_param("PolicySourceArn") or "")
    backend = self.backend
    sources, boundary_arn = _principal_sources(backend, source_arn)
    sources += [
        _Source(f"PolicyInputList.{n}", "IAM Policy", text)
        for n, text in enumerate(_input_list(self, "PolicyInputList"), start=1)
    ]
    boundary = _boundary_override(self)
    if boundary is None and boundary_arn:
        policy = backend.get_policy(boundary_arn)
        boundary = _Source(policy.name, "user-managed", _default_document(policy))
    return _run(
        self,
        principal=str(self._get_param("CallerArn") or source_arn),
        account_id=self.current_account,
        sources=sources,
        boundary=boundary,
        resource_policy=_resource_policy(self),
        scp_levels=None,
    )


def simulate_custom_policy(self: Any) -> Any:
    """moto handler for Action=SimulateCustomPolicy."""
    texts = _input_list(self, "PolicyInputList")
    if not texts:
        raise _invalid_input("PolicyInputList must contain at least one policy.")
    sources = [
        _Source(f"PolicyInputList.{n}", "IAM Policy", text) for n, text in enumerate(texts, 1)
    ]
    resource_policy = _resource_policy(self)
    caller = self._get_param("CallerArn")
    if resource_policy is not None and not caller:
        raise _invalid_input("CallerArn is required when ResourcePolicy is given.")
    levels = self._get_param("OrderedOrganizationPolicyInputList")
    scp_levels = None
    if levels:
        scp_levels = [
            [
                _Source(f"OrderedOrganizationPolicyInputList.{i}.{n}", "none", str(text))
                for n, text in enumerate(level.get("ServiceControlPolicyInputList") or [], 1)
            ]
            for i, level in enumerate(levels, 1)
        ]
    partition = str(getattr(self, "partition", "aws") or "aws")
    return _run(
        self,
        principal=str(caller or f"arn:{partition}:iam::{self.current_account}:root"),
        account_id=self.current_account,
        sources=sources,
        boundary=_boundary_override(self),
        resource_policy=resource_policy,
        scp_levels=scp_levels,
    )


def install() -> None:
    """Add both operations to moto's IAM responder (idempotent)."""
    setattr(IamResponse, "simulate_principal_policy", simulate_principal_policy)  # noqa: B010 - moto has no such method to type
    setattr(IamResponse, "simulate_custom_policy", simulate_custom_policy)  # noqa: B010 - likewise
