"""IAM Condition blocks, evaluated the way IAM's documentation specifies.

moto 5.2.5 implements only ``StringEquals`` (``moto.iam.policy_conditions``), treats every
other operator as satisfied, and treats a key that is absent from the request as
satisfying the condition. This module replaces that check (it is called from
``_Statement._check_conditions`` in ``harness.iam_eval.moto_policy``) and reuses moto's
``string_equals_operation`` for the StringEquals comparison itself.

Supported: the ``String*``, ``Arn*``, ``Bool`` and ``Null`` operators, the ``IfExists``
suffix (not on Null) and the ``ForAllValues:`` / ``ForAnyValue:`` set qualifiers. Any other
operator (``Numeric*``, ``Date*``, ``IpAddress``, ``NotIpAddress``, ``BinaryEquals``) and any
policy variable (``${...}``) in a condition value raise ``UnsupportedPolicyFeature`` when a
request actually depends on them: the simulation is refused rather than answered with a
guess (see README.md here for why that is the safe choice for least-privilege tests).

Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
and ..._condition_operators.html, ..._condition-single-vs-multi-valued-context-keys.html.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from moto.iam.policy_conditions import string_equals_operation

Compare = Callable[[str, str], bool]  # (policy value, request value) -> match


class UnsupportedPolicyFeature(ValueError):
    """A policy construct this evaluator does not implement; never silently ignored."""


@functools.lru_cache(maxsize=1024)
def glob(pattern: str) -> re.Pattern[str]:
    """IAM wildcards: ``*`` is any run of characters (``/`` and ``:`` included), ``?`` is
    exactly one character, everything else is literal (regex metacharacters too)."""
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL)


def _string_equals(policy: str, request: str) -> bool:
    return bool(string_equals_operation(policy, request))  # moto's comparison


def _string_equals_ignore_case(policy: str, request: str) -> bool:
    return policy.casefold() == request.casefold()


def _string_like(policy: str, request: str) -> bool:
    # StringLike: case-sensitive, with the * and ? wildcards.
    return glob(policy).fullmatch(request) is not None


def _arn_like(policy: str, request: str) -> bool:
    # ArnEquals/ArnLike: "Each of the six colon-delimited components of the ARN is checked
    # separately and each can include multi-character match wildcards (*) or
    # single-character match wildcards (?)."
    wanted, actual = policy.split(":", 5), request.split(":", 5)
    if len(wanted) != 6 or len(actual) != 6:
        return False
    return all(glob(w).fullmatch(a) is not None for w, a in zip(wanted, actual, strict=True))


def _bool(policy: str, request: str) -> bool:
    return policy.lower() == request.lower()


_POSITIVE: dict[str, Compare] = {
    "StringEquals": _string_equals,
    "StringEqualsIgnoreCase": _string_equals_ignore_case,
    "StringLike": _string_like,
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
    "Bool": _bool,
}
# The negated operators: the request value must match NONE of the policy values.
_NEGATED: dict[str, str] = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
SUPPORTED_OPERATORS: tuple[str, ...] = (*_POSITIVE, *_NEGATED, "Null")
_QUALIFIERS = ("ForAllValues:", "ForAnyValue:")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _policy_values(raw: Any) -> list[str]:
    values = [_text(v) for v in (raw if isinstance(raw, list) else [raw])]
    for value in values:
        if "${" in value:
            raise UnsupportedPolicyFeature(
                f"policy variable in condition value {value!r} (policy variables are not "
                "substituted by this evaluator)"
            )
    return values


def condition_keys(condition: Mapping[str, Any]) -> list[str]:
    """Every condition key a Condition block refers to, in order, as written."""
    keys: list[str] = []
    for block in condition.values():
        keys += [str(key) for key in block]
    return keys


def _unsupported(operator: str) -> UnsupportedPolicyFeature:
    return UnsupportedPolicyFeature(
        f"condition operator {operator} is not supported by this evaluator (supported: "
        f"{', '.join(SUPPORTED_OPERATORS)}, with IfExists and ForAllValues:/ForAnyValue:)"
    )


def _parse(operator: str) -> tuple[str | None, str, bool]:
    """(set qualifier, base operator, IfExists) or UnsupportedPolicyFeature."""
    qualifier = next((q[:-1] for q in _QUALIFIERS if operator.startswith(q)), None)
    name = operator[len(qualifier) + 1 :] if qualifier else operator
    if_exists = name.endswith("IfExists") and name != "IfExists"
    base = name[: -len("IfExists")] if if_exists else name
    if base not in SUPPORTED_OPERATORS or (base == "Null" and (qualifier or if_exists)):
        raise _unsupported(operator)
    return qualifier, base, if_exists


def _null_holds(wanted: Sequence[str], present: bool) -> bool:
    # Null: "true" means the key must be absent from the request, "false" present.
    # Several values of one key are ORed.
    return any((value.lower() == "true") != present for value in wanted)


def _operator_holds(operator: str, wanted: Sequence[str], request: Sequence[str] | None) -> bool:
    qualifier, base, if_exists = _parse(operator)
    if base == "Null":
        return _null_holds(wanted, present=request is not None)
    negated = base in _NEGATED
    compare = _POSITIVE[_NEGATED.get(base, base)]

    def value_ok(value: str) -> bool:
        # A request value that is not an ARN satisfies no Arn* operator, negated ones too.
        if base.startswith("Arn") and len(value.split(":", 5)) != 6:
            return False
        # Several policy values for one key are ORed; a negated operator needs none to match.
        hit = any(compare(w, value) for w in wanted)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        # True when every request value passes, and so also when the key is absent/empty.
        return all(value_ok(v) for v in request or [])
    if qualifier == "ForAnyValue":
        # True when at least one request value passes; false when the key is absent/empty.
        return any(value_ok(v) for v in request or [])
    if request is None:
        # "If the key that you specify in a policy condition is not present in the request
        # context, the values do not match and the condition is false. If the policy
        # condition requires that the key is not matched, such as StringNotLike or
        # ArnNotLike, and the right key is not present, the condition is true."
        # ...IfExists: "If the policy key is present ... process as specified; if it is not
        # present, evaluate the condition element as true."
        return if_exists or negated
    # A single-valued operator over several request values: a positive operator needs one
    # value to match, a negated one needs every value to match none.
    return all(value_ok(v) for v in request) if negated else any(value_ok(v) for v in request)


def condition_holds(condition: Mapping[str, Any], context: Mapping[str, Sequence[str]]) -> bool:
    """Operators are ANDed, keys within an operator are ANDed, values of a key are ORed.

    ``context`` maps lower-cased condition key names to the request's values. Every
    operator and value is checked for support first, so whether a request is refused does
    not depend on the order of the Condition block.
    """
    checks = []
    for operator, block in condition.items():
        _parse(str(operator))
        for key, raw in block.items():
            # Condition key names are case-insensitive.
            checks.append((str(operator), _policy_values(raw), context.get(str(key).lower())))
    return all(_operator_holds(op, wanted, request) for op, wanted, request in checks)
