"""Policy regression: the Lambda execution role's permissions, read from a plan, as readable lines.

Pure functions over the JSON of ``terraform show -json <plan>``; nothing here runs terraform.

* :func:`extract_lambda_role` finds the function (``aws_lambda_function``), follows its
  ``role`` ARN to the ``aws_iam_role`` the plan manages, and collects every permission source
  attached to it: ``aws_iam_role_policy`` documents, managed policy attachments, and
  ``inline_policy`` blocks written on the role itself.
* :func:`grants` expands a policy document into one :class:`Grant` per action x resource, so a
  diff is one line per permission (``+ dynamodb:Scan on arn:...:table/${name}-items``) instead
  of a JSON blob.
* :func:`normalise_text` replaces the account id, region and name prefix with placeholders
  (``${account_id}``, ``${region}``, ``${name}``) so a golden file is the same for every stack.
* :func:`compare_to_golden`, :func:`wildcard_findings` and :func:`scope_findings` return lists of
  readable lines; an empty list means the check passed.

Values come from ``planned_values`` (what the plan will leave in place). A plan of a stack that
was never applied has the table and log group ARNs "(known after apply)", and so the policy is
unknown too: :class:`PolicyExtractionError` says so, instead of comparing nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ROLE_POLICY_TYPE = "aws_iam_role_policy"
FUNCTION_TYPE = "aws_lambda_function"
ROLE_TYPE = "aws_iam_role"
ATTACHMENT_TYPES = ("aws_iam_role_policy_attachment", "aws_iam_policy_attachment")
# Services whose actions AWS only accepts on Resource "*" (no resource-level permissions).
STAR_RESOURCE_SERVICES = frozenset({"xray"})

ACCOUNT_PLACEHOLDER = "${account_id}"
REGION_PLACEHOLDER = "${region}"
NAME_PLACEHOLDER = "${name}"


class PolicyExtractionError(ValueError):
    """The plan does not let us read the role's policy; the message says why and what to do."""


# -- plan walking -------------------------------------------------------------------------------
def iter_module_resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every resource of a ``root_module`` (planned_values or prior_state), child modules too."""
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from iter_module_resources(child)


def planned_resources(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The managed resources of ``planned_values``."""
    root = plan.get("planned_values", {}).get("root_module", {})
    return [res for res in iter_module_resources(root) if res.get("mode", "managed") == "managed"]


def _of_type(resources: Iterable[Mapping[str, Any]], type_: str) -> list[Mapping[str, Any]]:
    return [res for res in resources if res.get("type") == type_]


def _unknown_after_apply(plan: Mapping[str, Any], address: str, attribute: str) -> bool:
    for change in plan.get("resource_changes", []):
        if change.get("address") == address:
            unknown = change.get("change", {}).get("after_unknown") or {}
            return bool(unknown.get(attribute))
    return False


def _config_resources(
    module: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(address without instance keys, resource) for every resource in ``configuration``."""
    for res in module.get("resources", []):
        yield f"{prefix}{res.get('address')}", res
    for name, call in module.get("module_calls", {}).items():
        yield from _config_resources(call.get("module", {}), f"{prefix}module.{name}.")


def _strip_instance_keys(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


@dataclass(frozen=True)
class RolePermissions:
    """Everything that grants the function's execution role permissions, as planned."""

    function_address: str
    role_name: str
    role_address: str
    # aws_iam_role_policy address -> parsed policy document
    inline_policies: Mapping[str, Mapping[str, Any]]
    managed_policy_arns: tuple[str, ...] = ()
    # addresses of roles with an inline_policy block in their configuration
    role_inline_policy_blocks: tuple[str, ...] = ()

    def grants(self) -> frozenset[Grant]:
        collected: set[Grant] = set()
        for document in self.inline_policies.values():
            collected |= grants(document)
        return frozenset(collected)


def extract_lambda_role(
    plan: Mapping[str, Any], function_address: str | None = None
) -> RolePermissions:
    """The execution role of the plan's Lambda function and every policy attached to it.

    With several functions in the plan, name one with ``function_address``.
    """
    resources = planned_resources(plan)
    functions = _of_type(resources, FUNCTION_TYPE)
    if function_address is not None:
        functions = [res for res in functions if res.get("address") == function_address]
    if len(functions) != 1:
        found = ", ".join(str(res.get("address")) for res in functions) or "none"
        raise PolicyExtractionError(
            f"expected exactly one {FUNCTION_TYPE} in planned_values, found {found}; "
            "pass function_address to choose one"
        )
    function = functions[0]
    address = str(function.get("address"))
    role_arn = function.get("values", {}).get("role")
    if not isinstance(role_arn, str) or not role_arn:
        raise PolicyExtractionError(
            f"the role of {address} is (known after apply): plan against an applied stack "
            "(at least its IAM role) so the role and its policy are concrete"
        )
    role_name = role_arn.rsplit("/", 1)[-1]
    roles = [
        res for res in _of_type(resources, ROLE_TYPE) if res["values"].get("name") == role_name
    ]
    if len(roles) != 1:
        raise PolicyExtractionError(
            f"{address} uses role {role_arn}, which is not (exactly once) an {ROLE_TYPE} of this "
            "plan: the golden check only covers a role the stack manages"
        )
    role = roles[0]

    inline: dict[str, Mapping[str, Any]] = {}
    for res in _of_type(resources, ROLE_POLICY_TYPE):
        values = res.get("values", {})
        if values.get("role") not in (role_name, role_arn):
            continue
        policy_address = str(res.get("address"))
        text = values.get("policy")
        if not isinstance(text, str) or not text:
            why = (
                "(known after apply)"
                if _unknown_after_apply(plan, policy_address, "policy")
                else "missing"
            )
            raise PolicyExtractionError(
                f"the policy of {policy_address} is {why}: in a plan of a fresh stack the table "
                "ARN is unknown; plan against an applied stack instead"
            )
        try:
            inline[policy_address] = json.loads(text)
        except json.JSONDecodeError as error:
            raise PolicyExtractionError(
                f"the policy of {policy_address} is not JSON: {error}"
            ) from error

    managed: set[str] = set()
    for type_ in ATTACHMENT_TYPES:
        for res in _of_type(resources, type_):
            values = res.get("values", {})
            attached_roles = values.get("roles") or [values.get("role")]
            if role_name in attached_roles:
                managed.add(str(values.get("policy_arn", "(known after apply)")))
    managed.update(str(arn) for arn in role["values"].get("managed_policy_arns") or [])

    role_config_address = _strip_instance_keys(str(role.get("address")))
    configuration = plan.get("configuration", {}).get("root_module", {})
    blocks = tuple(
        config_address
        for config_address, res in _config_resources(configuration)
        if config_address == role_config_address
        and "inline_policy" in (res.get("expressions") or {})
    )
    return RolePermissions(
        function_address=address,
        role_name=role_name,
        role_address=str(role.get("address")),
        inline_policies=inline,
        managed_policy_arns=tuple(sorted(managed)),
        role_inline_policy_blocks=blocks,
    )


def resource_value(
    plan: Mapping[str, Any], type_: str, name_attr: str, name: str, attr: str
) -> str:
    """One attribute of the planned resource of ``type_`` whose ``name_attr`` equals ``name``."""
    for res in _of_type(planned_resources(plan), type_):
        values = res.get("values", {})
        if values.get(name_attr) == name and isinstance(values.get(attr), str):
            return str(values[attr])
    raise PolicyExtractionError(f"no planned {type_} with {name_attr}={name!r} and a known {attr}")


# -- grants -------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Grant:
    """One permission: an (effect, action, resource, condition) tuple of a policy statement.

    ``action_kind``/``resource_kind`` are "Action"/"Resource", or "NotAction"/"NotResource"
    for the inverted forms (which always deserve a reviewer's eye). Equality ignores the case
    of the action (IAM action names are case-insensitive), not of resources or conditions.
    """

    action: str
    resource: str
    effect: str = "Allow"
    condition: str = ""  # canonical JSON of the statement's Condition, "" for none
    action_kind: str = "Action"
    resource_kind: str = "Resource"

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.effect,
            self.action_kind,
            self.action.lower(),
            self.resource_kind,
            self.resource,
            self.condition,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Grant) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0].lower() if ":" in self.action else self.action

    def describe(self) -> str:
        """``dynamodb:Scan on arn:...`` (Allow), with the unusual parts spelled out."""
        action = (
            self.action if self.action_kind == "Action" else f"every action except {self.action}"
        )
        resource = (
            self.resource
            if self.resource_kind == "Resource"
            else f"everything except {self.resource}"
        )
        text = f"{action} on {resource}"
        if self.condition:
            text += f" when {self.condition}"
        if self.effect != "Allow":
            text = f"{self.effect.upper()} {text}"
        return text

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.service, self.resource, self.action.lower(), self.condition)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def grants(document: Mapping[str, Any]) -> frozenset[Grant]:
    """Expand a policy document into one grant per action x resource of each statement."""
    statements = document.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    expanded: set[Grant] = set()
    for statement in statements:
        action_kind = "NotAction" if "NotAction" in statement else "Action"
        resource_kind = "NotResource" if "NotResource" in statement else "Resource"
        condition = statement.get("Condition")
        condition_text = (
            json.dumps(condition, sort_keys=True, separators=(",", ":")) if condition else ""
        )
        for action in _as_list(statement.get(action_kind)):
            for resource in _as_list(statement.get(resource_kind)):
                expanded.add(
                    Grant(
                        action=action,
                        resource=resource,
                        effect=str(statement.get("Effect", "Allow")),
                        condition=condition_text,
                        action_kind=action_kind,
                        resource_kind=resource_kind,
                    )
                )
    return frozenset(expanded)


# -- normalisation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Placeholders:
    """The stack-specific values that become ``${account_id}``, ``${region}`` and ``${name}``."""

    account_id: str
    region: str
    name_prefix: str


def normalise_text(text: str, values: Placeholders) -> str:
    """Replace whole-token uses of the account id, the region and the name prefix.

    Whole tokens only: another account (``999999999999``), ``us-east-10`` or a name that merely
    starts with the prefix stay as they are, so they show up in a diff.
    """
    replacements = (
        (values.account_id, r"(?<![0-9])", r"(?![0-9])", ACCOUNT_PLACEHOLDER),
        (values.region, r"(?<![A-Za-z0-9-])", r"(?![A-Za-z0-9])", REGION_PLACEHOLDER),
        (values.name_prefix, r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])", NAME_PLACEHOLDER),
    )
    for value, before, after, placeholder in replacements:
        if value:
            # The placeholders hold no backslash, so they are literal replacement strings.
            text = re.sub(f"{before}{re.escape(value)}{after}", placeholder, text)
    return text


def normalise_grants(found: Iterable[Grant], values: Placeholders) -> frozenset[Grant]:
    return frozenset(
        Grant(
            action=grant.action,
            resource=normalise_text(grant.resource, values),
            effect=grant.effect,
            condition=normalise_text(grant.condition, values),
            action_kind=grant.action_kind,
            resource_kind=grant.resource_kind,
        )
        for grant in found
    )


def canonical_document(found: Iterable[Grant]) -> dict[str, Any]:
    """A stable policy document for a golden file: one statement per (effect, kinds,
    condition, resource set), actions and resources sorted."""
    by_action: dict[tuple[str, str, str, str, str], set[str]] = {}
    for grant in found:
        key = (grant.effect, grant.action_kind, grant.resource_kind, grant.condition, grant.action)
        by_action.setdefault(key, set()).add(grant.resource)
    by_shape: dict[tuple[str, str, str, str, tuple[str, ...]], list[str]] = {}
    for (effect, action_kind, resource_kind, condition, action), resource_set in by_action.items():
        shape = (effect, action_kind, resource_kind, condition, tuple(sorted(resource_set)))
        by_shape.setdefault(shape, []).append(action)
    statements: list[dict[str, Any]] = []
    for (effect, action_kind, resource_kind, condition, resources), actions in sorted(
        by_shape.items(), key=lambda item: (item[0][4], sorted(item[1]))
    ):
        statement: dict[str, Any] = {
            "Effect": effect,
            action_kind: sorted(actions, key=str.lower),
            resource_kind: list(resources),
        }
        if condition:
            statement["Condition"] = json.loads(condition)
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def golden_variant(permissions: RolePermissions, values: Placeholders) -> dict[str, Any]:
    """What a golden file holds for one variant of the stack (normalised)."""
    return {
        "managed_policy_arns": [
            normalise_text(arn, values) for arn in permissions.managed_policy_arns
        ],
        "policy": canonical_document(normalise_grants(permissions.grants(), values)),
    }


# -- checks -------------------------------------------------------------------------------------
def diff_grants(expected: Iterable[Grant], actual: Iterable[Grant]) -> list[str]:
    """``+ <grant>`` for each permission only in actual, ``- <grant>`` for each one missing."""
    expected_set, actual_set = frozenset(expected), frozenset(actual)
    lines = [(grant.sort_key(), f"+ {grant.describe()}") for grant in actual_set - expected_set]
    lines += [(grant.sort_key(), f"- {grant.describe()}") for grant in expected_set - actual_set]
    return [line for _key, line in sorted(lines)]


def compare_to_golden(
    golden: Mapping[str, Any], permissions: RolePermissions, values: Placeholders
) -> list[str]:
    """Readable differences between one golden variant and the plan's role; [] when equal."""
    expected = grants(golden.get("policy", {}))
    actual = normalise_grants(permissions.grants(), values)
    lines = diff_grants(expected, actual)
    golden_arns = set(golden.get("managed_policy_arns", []))
    actual_arns = {normalise_text(arn, values) for arn in permissions.managed_policy_arns}
    lines += [
        f"+ managed policy {arn} attached to the role" for arn in sorted(actual_arns - golden_arns)
    ]
    lines += [
        f"- managed policy {arn} no longer attached" for arn in sorted(golden_arns - actual_arns)
    ]
    lines += [
        f"+ inline_policy block on {address}: grants there bypass this check; use "
        "aws_iam_role_policy"
        for address in permissions.role_inline_policy_blocks
    ]
    return lines


def wildcard_findings(found: Iterable[Grant]) -> list[str]:
    """Wildcards that least privilege never allows, golden file or not.

    A ``*``/``?`` in an action, ``Resource: "*"`` for any service but X-Ray (whose write
    actions support no resource-level permissions), and NotAction/NotResource.
    """
    lines: list[tuple[tuple[str, str, str, str], str]] = []
    for grant in found:
        if grant.effect != "Allow":
            continue
        problems = []
        if grant.action_kind == "NotAction":
            problems.append("NotAction grants every other action")
        elif "*" in grant.action or "?" in grant.action:
            problems.append("wildcard action")
        if grant.resource_kind == "NotResource":
            problems.append("NotResource grants every other resource")
        elif grant.resource == "*" and grant.service not in STAR_RESOURCE_SERVICES:
            problems.append('"*" resource outside X-Ray')
        if problems:
            lines.append((grant.sort_key(), f"! {grant.describe()}: {'; '.join(problems)}"))
    return [line for _key, line in sorted(lines)]


def scope_findings(found: Iterable[Grant], table_arn: str, log_group_arn: str) -> list[str]:
    """Each service's grants stay on this stack's own resources.

    DynamoDB: the table and ``<table>/index/*``; CloudWatch Logs: ``<log group>:*``; X-Ray:
    ``*``. Any other service is a finding by itself.
    """
    allowed = {
        "dynamodb": {table_arn, f"{table_arn}/index/*"},
        "logs": {f"{log_group_arn.removesuffix(':*')}:*"},
        "xray": {"*"},
    }
    lines: list[tuple[tuple[str, str, str, str], str]] = []
    for grant in found:
        if grant.effect != "Allow":
            continue
        scope = allowed.get(grant.service)
        if scope is None:
            lines.append(
                (
                    grant.sort_key(),
                    f"! {grant.describe()}: service {grant.service!r} "
                    "is not one the function needs",
                )
            )
        elif grant.resource_kind != "Resource" or grant.resource not in scope:
            lines.append(
                (grant.sort_key(), f"! {grant.describe()}: outside {' and '.join(sorted(scope))}")
            )
    return [line for _key, line in sorted(lines)]


def action_set_findings(granted: Iterable[str], needed: Iterable[str], service: str) -> list[str]:
    """Compare the ``service`` actions a policy grants with those the code declares it needs."""
    prefix = f"{service}:"
    granted_map = {a.lower(): a for a in granted if a.lower().startswith(prefix)}
    needed_map = {a.lower(): a for a in needed}
    lines = [
        f"+ {granted_map[key]} is granted but the handler does not declare it"
        for key in sorted(granted_map.keys() - needed_map.keys())
    ]
    lines += [
        f"- {needed_map[key]} is needed by the handler but not granted"
        for key in sorted(needed_map.keys() - granted_map.keys())
    ]
    return lines
