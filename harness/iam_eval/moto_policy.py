"""The thin layer over moto's IAM policy evaluator (``moto.iam.access_control``, Apache-2.0).

moto does: the policy grammar check (``IAMPolicyDocumentValidator``, the one moto's own
CreatePolicy / PutRolePolicy apply), parsing the document (``IAMPolicy.__init__``), walking
a string-or-list element (``IAMPolicyStatement._check_element_matches``) and the
StringEquals comparison. The subclasses below correct what moto 5.2.5 gets wrong against
IAM's documented evaluation logic; each override says which rule it implements:

* ``_match``: IAM wildcards, not regular expressions (``?`` = one character, ``.`` literal);
* action names compared case-insensitively (resource ARNs stay case-sensitive);
* ``NotResource`` honoured (moto ignored it and treated the statement as matching all);
* a failed condition makes the statement not apply (moto returned DENIED for an Allow);
* the condition operators of ``harness.iam_eval.conditions`` (moto: only StringEquals,
  unknown operators and absent keys counted as satisfied);
* ``Principal`` of resource policies matched exactly (moto compared by substring).

``is_action_permitted`` keeps moto's signature and PermissionResult but follows IAM's order
(action, resource, principal, condition, then Effect), because three of the faults above
live in moto's version of that short flow; ``Policy.is_action_permitted`` likewise, since
moto's loop would build uncorrected ``IAMPolicyStatement`` objects.

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from harness.iam_eval.conditions import (
    UnsupportedPolicyFeature,
    condition_holds,
    condition_keys,
    glob,
)

Context = Mapping[str, Sequence[str]]  # lower-cased condition key -> request values
# How a statement covers the caller: no Principal element (identity-side policies), "*",
# the caller's own ARN, or the caller's account.
PrincipalMatch = Literal["identity", "anyone", "caller", "account"]
_ACCOUNT = re.compile(r"^arn:[\w-]+:(?:iam|sts)::(\d{12}):")


class PolicyDocumentError(ValueError):
    """The document is not a valid policy of its kind (AWS: MalformedPolicyDocument)."""


def _lower(value: Any) -> Any:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _account_of(arn: str) -> str | None:
    match = _ACCOUNT.match(arn)
    return match.group(1) if match else None


class _Statement(IAMPolicyStatement):
    """One statement; ``index`` is its 1-based position in the policy."""

    def __init__(self, statement: Mapping[str, Any], index: int) -> None:
        normalized = dict(statement)
        # IAM: "action names are case-insensitive" (dynamodb:getitem == dynamodb:GetItem).
        # moto matched them case-sensitively; both sides are lower-cased here and in
        # matches_action. Resource ARNs are case-sensitive and left as written.
        for element in ("Action", "NotAction"):
            if element in normalized:
                normalized[element] = _lower(normalized[element])
        super().__init__(normalized)
        self.index = index
        self.effect = str(statement["Effect"])

    @staticmethod
    def _match(pattern: Any, string: str) -> re.Match[str] | None:
        # IAM: "*" matches any combination of characters and "?" any single character,
        # in Action and Resource alike; every other character is literal. moto turned "*"
        # into ".*" and left the rest a regular expression ("?" and "." were operators).
        if not isinstance(pattern, str):  # moto's validator lets a list hold null
            return None
        return glob(pattern).fullmatch(string)

    def matches_action(self, action: str) -> bool:
        if "NotAction" in self._statement:
            return not self._check_element_matches("NotAction", action.lower())
        return bool(self._check_element_matches("Action", action.lower()))

    def matches_resource(self, resource: str) -> bool:
        # IAM: NotResource "matches everything except the specified list of resources".
        # moto ignored NotResource and treated a statement without Resource as matching
        # every resource (so a Deny with NotResource came out PERMITTED).
        negated = "NotResource" in self._statement
        element = "NotResource" if negated else "Resource"
        patterns = [p for p in _as_list(self._statement.get(element)) if isinstance(p, str)]
        for pattern in patterns:
            if "${" in pattern:
                raise UnsupportedPolicyFeature(
                    f"policy variable in {element} {pattern!r} (policy variables are not "
                    "substituted by this evaluator)"
                )
        if resource == "*":
            # No ResourceArns: the simulator asks about "*", i.e. any resource. An Allow
            # applies if it grants some resource; a Deny only if it denies every one. (Both
            # readings are the pessimistic ones for a least-privilege check.)
            covers_all = "*" in patterns
            if self.effect == "Allow":
                return not covers_all if negated else bool(patterns)
            return covers_all and not negated
        # A "*" inside a requested ARN is an ordinary character, as in AWS's simulator.
        hit = bool(self._check_element_matches(element, resource))
        return not hit if negated else hit

    def principal_match(self, principal: str) -> PrincipalMatch | None:
        """How a resource policy statement's Principal covers the caller, if it does."""
        if "NotPrincipal" in self._statement:
            raise UnsupportedPolicyFeature("NotPrincipal in a resource policy")
        expected = self._statement.get("Principal")
        named = (
            [str(p) for p in _as_list(expected.get("AWS", []))]
            if isinstance(expected, Mapping)
            else [str(expected)]
        )
        if "*" in named:
            return "anyone"
        if principal in named:
            return "caller"
        account = _account_of(principal)
        if account is not None and any(
            p == account or re.fullmatch(rf"arn:[\w-]+:iam::{account}:root", p) for p in named
        ):
            return "account"
        return None

    def _check_principal(self, principal: str) -> bool:
        # IAM: Principal "*" or {"AWS": "*"} is everyone; otherwise the caller's ARN must be
        # named exactly, or its account (12-digit id or arn:...:root). moto compared with
        # substring containment ("user/a" matched "user/ab") and failed on the "*" form.
        # What an account-wide grant is worth is decided by the evaluator.
        return self.principal_match(principal) is not None

    def _check_conditions(self, incoming_condition_values: Context | None) -> bool:
        # IAM condition semantics; see harness.iam_eval.conditions for what moto lacked.
        return condition_holds(
            self._statement.get("Condition") or {}, incoming_condition_values or {}
        )

    def condition_keys(self) -> list[str]:
        return condition_keys(self._statement.get("Condition") or {})

    def targets(self, action: str, resource: str, principal: str | None) -> bool:
        """Action, resource and (resource policies) principal are this statement's."""
        if not self.matches_action(action) or not self.matches_resource(resource):
            return False
        return self.covers(principal) is not None

    def covers(self, principal: str | None) -> PrincipalMatch | None:
        if not any(k in self._statement for k in ("Principal", "NotPrincipal")):
            return "identity"  # identity-side policies name no principal
        if principal is None or not self._check_principal(principal):
            return None
        return self.principal_match(principal)

    def is_action_permitted(
        self,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: Context | None = None,
    ) -> PermissionResult:
        # NEUTRAL: the statement does not apply; PERMITTED / DENIED: it applies with its
        # Effect (moto answered by Effect only when Resource was present and matched).
        if not self.targets(action, resource, principal):
            return PermissionResult.NEUTRAL
        # IAM: a statement whose condition is false "does not apply" - it neither allows
        # nor denies. moto returned DENIED, turning a conditional Allow into a Deny.
        if not self._check_conditions(incoming_condition_values):
            return PermissionResult.NEUTRAL
        return PermissionResult.PERMITTED if self.effect == "Allow" else PermissionResult.DENIED


@dataclass(frozen=True)
class PolicyOutcome:
    """What one policy says about one request."""

    allows: tuple[int, ...]  # 1-based indexes of the Allow statements that apply
    denies: tuple[int, ...]  # ... and of the Deny statements that apply
    condition_keys: tuple[str, ...]  # keys used by statements that target the request
    grants: tuple[PrincipalMatch, ...] = ()  # how each applying Allow covers the caller


class Policy(IAMPolicy):
    """A validated policy document whose statements are evaluated by ``_Statement``.

    ``resource_policy`` selects the grammar: resource policies must name a Principal,
    every other kind (identity, permissions boundary, SCP) must not.
    """

    def __init__(self, policy_id: str, document: Mapping[str, Any], *, resource_policy: bool):
        text = json.dumps(document)
        try:
            IAMPolicyDocumentValidator(text).validate()  # moto's grammar check
        except Exception as exc:  # moto raises its MalformedPolicyDocument
            raise PolicyDocumentError(getattr(exc, "message", None) or str(exc)) from exc
        super().__init__(text)  # moto parses it into self._policy_json
        raw = self._policy_json["Statement"]
        self.policy_id = policy_id
        self.statements = [_Statement(s, i) for i, s in enumerate(_as_list(raw), start=1)]
        for statement in self.statements:
            has_principal = any(k in statement._statement for k in ("Principal", "NotPrincipal"))
            if resource_policy and not has_principal:
                raise PolicyDocumentError("Missing required field Principal.")
            if not resource_policy and has_principal:
                # AWS's own message for an identity policy that names a principal.
                raise PolicyDocumentError("Policy document should not specify a principal.")

    def evaluate(
        self, action: str, resource: str, principal: str | None, context: Context
    ) -> PolicyOutcome:
        allows: list[int] = []
        denies: list[int] = []
        keys: list[str] = []
        grants: list[PrincipalMatch] = []
        for statement in self.statements:
            try:
                if not statement.targets(action, resource, principal):
                    continue
                keys += statement.condition_keys()
                result = statement.is_action_permitted(action, resource, principal, context)
            except UnsupportedPolicyFeature as exc:
                raise UnsupportedPolicyFeature(
                    f"policy {self.policy_id!r} statement {statement.index}: {exc}"
                ) from exc
            if result == PermissionResult.PERMITTED:
                allows.append(statement.index)
                grants.append(statement.covers(principal) or "identity")
            elif result == PermissionResult.DENIED:
                denies.append(statement.index)
        return PolicyOutcome(tuple(allows), tuple(denies), tuple(keys), tuple(grants))

    def is_action_permitted(
        self,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: Context | None = None,
    ) -> PermissionResult:
        # moto's contract (a Deny in the policy wins over its Allows), over the corrected
        # statements: moto's own loop would build uncorrected IAMPolicyStatement objects.
        outcome = self.evaluate(action, resource, principal, incoming_condition_values or {})
        if outcome.denies:
            return PermissionResult.DENIED
        return PermissionResult.PERMITTED if outcome.allows else PermissionResult.NEUTRAL
