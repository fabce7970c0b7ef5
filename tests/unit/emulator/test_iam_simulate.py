"""iam:SimulatePrincipalPolicy / iam:SimulateCustomPolicy in the emulator.

Part (a) checks the evaluator itself (moto's IAM policy evaluator behind the corrections
in harness.iam_eval) on cases whose answer IAM's documented evaluation logic fixes, with
one test per known limit of moto's evaluator showing moto's own answer and the corrected
one. Part (b) drives both APIs with boto3 against moto with our extension installed,
in-process and over HTTP, and checks decisions, the response shape and AWS's errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from harness.emulator.extensions import EXTENSIONS, iam_simulate
from harness.iam_eval import (
    SUPPORTED_OPERATORS,
    EvaluationInputError,
    PairResult,
    PolicyInput,
    PolicyValidationError,
    SimulationRequest,
    decisions_by_pair,
    simulate,
    statement_spans,
)
from harness.iam_eval.resource_types import resource_type_arn

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/items-fn"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/items"
OTHER_TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/someone-elses"
LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/items-fn"
OTHER_LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/other-fn"


def _policy(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _evaluate(
    statements: Sequence[Mapping[str, Any]],
    actions: Sequence[str],
    resources: Sequence[str] = (TABLE,),
    context: Mapping[str, str | list[str]] | None = None,
    boundary: Sequence[Mapping[str, Any]] | None = None,
) -> dict[tuple[str, str], PairResult]:
    request = SimulationRequest(
        principal=ROLE_ARN,
        account_id=ACCOUNT,
        actions=actions,
        resources=resources,
        identity_policies=[PolicyInput("p", _policy(*statements))],
        context=dict(context or {}),
        permission_boundaries=None if boundary is None else [PolicyInput("b", _policy(*boundary))],
    )
    return {(r.action, r.resource): r for r in simulate(request)}


def _decisions(results: Mapping[tuple[str, str], PairResult]) -> dict[tuple[str, str], str]:
    return {key: result.decision for key, result in results.items()}


# --------------------------------------------------------------------------- (a) evaluator


class TestEvaluator:
    def test_exact_action_is_allowed_and_reports_the_matching_statement(self) -> None:
        results = _evaluate(
            [
                {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": OTHER_TABLE},
                {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE},
            ],
            ["dynamodb:GetItem"],
        )
        result = results[("dynamodb:GetItem", TABLE)]
        assert result.decision == "allowed"
        assert [(m.policy_id, m.statement_index) for m in result.matched] == [("p", 2)]

    def test_unlisted_action_is_implicitly_denied(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}],
            ["dynamodb:Scan", "dynamodb:DeleteTable"],
        )
        assert _decisions(results) == {
            ("dynamodb:Scan", TABLE): "implicitDeny",
            ("dynamodb:DeleteTable", TABLE): "implicitDeny",
        }
        assert all(not r.matched for r in results.values())

    def test_explicit_deny_beats_allow(self) -> None:
        results = _evaluate(
            [
                {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": TABLE},
            ],
            ["dynamodb:DeleteItem", "dynamodb:GetItem"],
        )
        deny = results[("dynamodb:DeleteItem", TABLE)]
        assert deny.decision == "explicitDeny"
        assert [m.statement_index for m in deny.matched] == [2], "only the Deny is reported"
        assert results[("dynamodb:GetItem", TABLE)].decision == "allowed"

    def test_star_wildcard_in_action(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:Get*", "Resource": TABLE}],
            [
                "dynamodb:GetItem",
                "dynamodb:GetRecords",
                "dynamodb:PutItem",
                "dynamodb:BatchGetItem",
            ],
        )
        assert _decisions(results) == {
            ("dynamodb:GetItem", TABLE): "allowed",
            ("dynamodb:GetRecords", TABLE): "allowed",
            ("dynamodb:PutItem", TABLE): "implicitDeny",
            ("dynamodb:BatchGetItem", TABLE): "implicitDeny",
        }

    def test_question_mark_matches_exactly_one_character(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:?etItem", "Resource": TABLE}],
            ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"],
        )
        assert _decisions(results) == {
            ("dynamodb:GetItem", TABLE): "allowed",
            ("dynamodb:BatchGetItem", TABLE): "implicitDeny",
            ("dynamodb:PutItem", TABLE): "implicitDeny",
        }

    def test_action_names_are_case_insensitive(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}],
            ["DynamoDB:getitem", "DYNAMODB:PUTITEM"],
        )
        assert _decisions(results) == {
            ("DynamoDB:getitem", TABLE): "allowed",
            ("DYNAMODB:PUTITEM", TABLE): "implicitDeny",
        }

    def test_resource_wildcard_matches_the_index_but_not_another_table(self) -> None:
        index = f"{TABLE}/index/GSI1"
        others = [f"{OTHER_TABLE}/index/GSI1", OTHER_TABLE, TABLE]
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": f"{TABLE}/index/*"}],
            ["dynamodb:Query"],
            resources=[index, *others],
        )
        assert results[("dynamodb:Query", index)].decision == "allowed"
        for resource in others:
            assert results[("dynamodb:Query", resource)].decision == "implicitDeny", resource

    def test_not_action(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "NotAction": "dynamodb:DeleteTable", "Resource": "*"}],
            ["dynamodb:GetItem", "dynamodb:DeleteTable"],
        )
        assert _decisions(results) == {
            ("dynamodb:GetItem", TABLE): "allowed",
            ("dynamodb:DeleteTable", TABLE): "implicitDeny",
        }

    def test_not_resource(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:GetItem", "NotResource": OTHER_TABLE}],
            ["dynamodb:GetItem"],
            resources=[TABLE, OTHER_TABLE],
        )
        assert _decisions(results) == {
            ("dynamodb:GetItem", TABLE): "allowed",
            ("dynamodb:GetItem", OTHER_TABLE): "implicitDeny",
        }

    def test_condition_on_requested_region_uses_context_and_reports_missing_keys(self) -> None:
        statement = {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": TABLE,
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        }
        key = ("dynamodb:GetItem", TABLE)
        inside = _evaluate(
            [statement], ["dynamodb:GetItem"], context={"aws:RequestedRegion": REGION}
        )
        outside = _evaluate(
            [statement], ["dynamodb:GetItem"], context={"aws:RequestedRegion": "eu-west-1"}
        )
        absent = _evaluate([statement], ["dynamodb:GetItem"])
        assert inside[key].decision == "allowed"
        assert inside[key].missing_context_keys == ()
        assert outside[key].decision == "implicitDeny"
        assert absent[key].decision == "implicitDeny"
        assert absent[key].missing_context_keys == ("aws:RequestedRegion",)

    def test_leading_keys_condition(self) -> None:
        statement = {
            "Effect": "Allow",
            "Action": "dynamodb:Query",
            "Resource": TABLE,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["tenant-a"]}},
        }
        key = ("dynamodb:Query", TABLE)
        own = _evaluate(
            [statement], ["dynamodb:Query"], context={"dynamodb:LeadingKeys": ["tenant-a"]}
        )
        other = _evaluate(
            [statement], ["dynamodb:Query"], context={"dynamodb:LeadingKeys": ["tenant-b"]}
        )
        assert own[key].decision == "allowed"
        assert other[key].decision == "implicitDeny"

    def test_permissions_boundary_caps_identity_policies(self) -> None:
        results = _evaluate(
            [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
            ["dynamodb:GetItem", "dynamodb:DeleteTable"],
            boundary=[{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}],
        )
        get, delete = results[("dynamodb:GetItem", TABLE)], results[("dynamodb:DeleteTable", TABLE)]
        assert (get.decision, get.allowed_by_permissions_boundary) == ("allowed", True)
        assert (delete.decision, delete.allowed_by_permissions_boundary) == ("implicitDeny", False)

    def test_actions_and_resources_of_other_services_are_evaluated_not_rejected(self) -> None:
        # AWS's simulator evaluates any pair; the project asks GetItem about log groups.
        results = _evaluate(
            [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": f"{LOG_GROUP}:*"}],
            ["logs:PutLogEvents", "dynamodb:GetItem"],
            resources=[f"{LOG_GROUP}:*", f"{OTHER_LOG_GROUP}:*"],
        )
        assert _decisions(results) == {
            ("logs:PutLogEvents", f"{LOG_GROUP}:*"): "allowed",
            ("logs:PutLogEvents", f"{OTHER_LOG_GROUP}:*"): "implicitDeny",
            ("dynamodb:GetItem", f"{LOG_GROUP}:*"): "implicitDeny",
            ("dynamodb:GetItem", f"{OTHER_LOG_GROUP}:*"): "implicitDeny",
        }

    def test_invalid_policy_grammar_is_rejected(self) -> None:
        with pytest.raises(PolicyValidationError) as caught:
            _evaluate(
                [{"Effect": "Maybe", "Action": "dynamodb:GetItem", "Resource": "*"}], ["s3:x"]
            )
        assert "p" in caught.value.problems


# ------------------------------------------- (a2) moto's known limits, each one corrected
#
# Each test first shows what moto 5.2.5's own IAMPolicyStatement answers (the reason the
# correction in harness/iam_eval/moto_policy.py exists; if a moto upgrade fixes one, its
# test fails here and the correction can go), then the corrected answer.

README = Path(__file__).resolve().parents[3] / "harness" / "iam_eval" / "README.md"
TEAM_KEY = "aws:PrincipalTag/team"
TABLES = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/"


def _moto(
    statement: Mapping[str, Any],
    action: str,
    resource: str,
    context: Mapping[str, str] | None = None,
) -> PermissionResult:
    """moto's uncorrected answer for one statement."""
    return IAMPolicyStatement(dict(statement)).is_action_permitted(
        action, resource, None, dict(context or {})
    )


def test_limit_question_mark_and_dot_are_iam_wildcards_not_regex() -> None:
    dot = {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": f"{TABLES}it.ms"}
    qmark = {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": f"{TABLES}ite?s"}
    near_miss, short = f"{TABLES}itXms", f"{TABLES}its"
    # moto: "." is any character and "e?" an optional "e" (regex), so it answers wrongly.
    assert _moto(dot, "dynamodb:GetItem", near_miss) == PermissionResult.PERMITTED
    assert _moto(qmark, "dynamodb:GetItem", TABLE) == PermissionResult.NEUTRAL
    assert _moto(qmark, "dynamodb:GetItem", short) == PermissionResult.PERMITTED
    # IAM: "?" is exactly one character, "." is a literal dot.
    assert _decisions(
        _evaluate([dot], ["dynamodb:GetItem"], resources=[f"{TABLES}it.ms", near_miss])
    ) == {
        ("dynamodb:GetItem", f"{TABLES}it.ms"): "allowed",
        ("dynamodb:GetItem", near_miss): "implicitDeny",
    }
    assert _decisions(_evaluate([qmark], ["dynamodb:GetItem"], resources=[TABLE, short])) == {
        ("dynamodb:GetItem", TABLE): "allowed",
        ("dynamodb:GetItem", short): "implicitDeny",
    }


def test_limit_actions_are_case_insensitive_but_resources_are_not() -> None:
    statement = {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}
    assert _moto(statement, "dynamodb:getitem", TABLE) == PermissionResult.NEUTRAL  # moto
    upper_table = TABLE.replace("items", "ITEMS")
    assert _decisions(
        _evaluate([statement], ["dynamodb:getitem", "DYNAMODB:GETITEM"], [TABLE, upper_table])
    ) == {
        ("dynamodb:getitem", TABLE): "allowed",
        ("DYNAMODB:GETITEM", TABLE): "allowed",
        ("dynamodb:getitem", upper_table): "implicitDeny",  # ARNs stay case-sensitive
        ("DYNAMODB:GETITEM", upper_table): "implicitDeny",
    }


def test_limit_not_resource_is_honoured_for_deny_and_allow() -> None:
    deny = {"Effect": "Deny", "Action": "dynamodb:GetItem", "NotResource": TABLE}
    # moto ignores NotResource and answers PERMITTED for this Deny, on any resource.
    assert _moto(deny, "dynamodb:GetItem", OTHER_TABLE) == PermissionResult.PERMITTED
    results = _evaluate(
        [deny, {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
        ["dynamodb:GetItem", "dynamodb:PutItem"],
        resources=[TABLE, OTHER_TABLE],
    )
    assert _decisions(results) == {
        ("dynamodb:GetItem", TABLE): "allowed",
        ("dynamodb:GetItem", OTHER_TABLE): "explicitDeny",
        ("dynamodb:PutItem", TABLE): "allowed",
        ("dynamodb:PutItem", OTHER_TABLE): "allowed",
    }
    assert [m.statement_index for m in results[("dynamodb:GetItem", OTHER_TABLE)].matched] == [1]


def test_limit_failed_condition_makes_an_allow_not_apply_instead_of_denying() -> None:
    conditional = {
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE,
        "Condition": {"StringEquals": {TEAM_KEY: "a"}},
    }
    plain = {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}
    # moto: the failed condition turns the Allow into a Deny.
    assert _moto(conditional, "dynamodb:GetItem", TABLE, {TEAM_KEY: "b"}) == (
        PermissionResult.DENIED
    )
    key = ("dynamodb:GetItem", TABLE)
    alone = _evaluate([conditional], ["dynamodb:GetItem"], context={TEAM_KEY: "b"})
    assert alone[key].decision == "implicitDeny"  # not explicitDeny
    both = _evaluate([conditional, plain], ["dynamodb:GetItem"], context={TEAM_KEY: "b"})
    assert both[key].decision == "allowed"
    assert [m.statement_index for m in both[key].matched] == [2]


def test_limit_absent_condition_key_does_not_satisfy_the_condition() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE,
        "Condition": {"StringEquals": {TEAM_KEY: "a"}},
    }
    assert _moto(statement, "dynamodb:GetItem", TABLE) == PermissionResult.PERMITTED  # moto
    result = _evaluate([statement], ["dynamodb:GetItem"])[("dynamodb:GetItem", TABLE)]
    assert result.decision == "implicitDeny"
    assert result.missing_context_keys == (TEAM_KEY,)


def test_limit_unsupported_condition_operator_is_refused_not_ignored() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE,
        "Condition": {"DateLessThan": {"aws:CurrentTime": "2000-01-01T00:00:00Z"}},
    }
    # moto evaluates only StringEquals and counts every other operator as satisfied.
    assert _moto(statement, "dynamodb:GetItem", TABLE) == PermissionResult.PERMITTED
    with pytest.raises(EvaluationInputError, match=r"DateLessThan is not supported"):
        _evaluate([statement], ["dynamodb:GetItem"])
    # Refused whatever the order of the Condition block ...
    first_fails = dict(
        statement, Condition={"StringEquals": {TEAM_KEY: "x"}, **statement["Condition"]}
    )
    with pytest.raises(EvaluationInputError, match=r"DateLessThan"):
        _evaluate([first_fails], ["dynamodb:GetItem"], context={TEAM_KEY: "y"})
    # ... but only when the answer depends on it: other actions are still answered.
    assert _decisions(_evaluate([statement], ["dynamodb:PutItem"])) == {
        ("dynamodb:PutItem", TABLE): "implicitDeny"
    }


@pytest.mark.parametrize(
    ("operator", "values", "context", "expected"),
    [
        ("StringEquals", ["a", "c"], "c", True),
        ("StringEquals", "a", "A", False),  # values are case-sensitive
        ("StringNotEquals", "a", "b", True),
        ("StringNotEquals", "a", None, True),  # negated operator, key absent: true
        ("StringEqualsIgnoreCase", "a", "A", True),
        ("StringNotEqualsIgnoreCase", "a", "A", False),
        ("StringLike", "a?c*", "abcdef", True),
        ("StringLike", "a?c", "ac", False),
        ("StringNotLike", "a*", "b", True),
        ("ArnLike", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", True),
        ("ArnEquals", "arn:aws:s3:::bucket/*", "arn:aws:s3:::other/key", False),
        ("ArnNotLike", "arn:aws:s3:::bucket/*", "arn:aws:s3:::other/key", True),
        ("ArnNotLike", "arn:aws:s3:::bucket/*", "not-an-arn", False),
        ("Bool", "true", "TRUE", True),
        ("Bool", "true", None, False),
        ("Null", "true", None, True),
        ("Null", "true", "x", False),
        ("Null", "false", "x", True),
        ("StringEqualsIfExists", "a", None, True),
        ("StringEqualsIfExists", "a", "b", False),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "b"], True),
        ("ForAllValues:StringEquals", ["a"], ["a", "b"], False),
        ("ForAllValues:StringEquals", ["a"], None, True),  # absent: vacuously true
        ("ForAnyValue:StringEquals", ["a"], ["c", "a"], True),
        ("ForAnyValue:StringEquals", ["a"], None, False),
        ("ForAnyValue:StringNotEquals", ["a"], ["a"], False),
        ("ForAllValues:StringNotEquals", ["a"], ["b", "c"], True),
    ],
)
def test_supported_condition_operators(
    operator: str, values: str | list[str], context: str | list[str] | None, expected: bool
) -> None:
    key = TEAM_KEY if not operator.startswith("For") else "aws:TagKeys"
    statement = {
        "Effect": "Allow",
        "Action": "dynamodb:GetItem",
        "Resource": TABLE,
        "Condition": {operator: {key: values}},
    }
    supplied = {} if context is None else {key.upper(): context}  # key names: any case
    result = _evaluate([statement], ["dynamodb:GetItem"], context=supplied)
    assert result[("dynamodb:GetItem", TABLE)].decision == (
        "allowed" if expected else "implicitDeny"
    )


def test_readme_lists_every_supported_operator_and_the_refusal() -> None:
    text = README.read_text(encoding="utf-8")
    for operator in SUPPORTED_OPERATORS:
        assert f"`{operator}`" in text, operator
    assert "InvalidInput" in text


def test_policy_variables_are_refused_not_matched_literally() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
    }
    with pytest.raises(EvaluationInputError, match=r"policy variable"):
        _evaluate([statement], ["s3:GetObject"], resources=["arn:aws:s3:::bucket/bob/x"])


def test_requests_without_resource_arns_ask_about_any_resource() -> None:
    allow_table = {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}
    deny_table = {"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": TABLE}
    deny_all = {"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": "*"}
    key = ("dynamodb:GetItem", "*")
    # An Allow that grants some resource counts; a Deny counts only if it covers them all.
    assert _evaluate([allow_table], ["dynamodb:GetItem"], ["*"])[key].decision == "allowed"
    assert _evaluate([allow_table, deny_table], ["dynamodb:GetItem"], ["*"])[key].decision == (
        "allowed"
    )
    assert _evaluate([allow_table, deny_all], ["dynamodb:GetItem"], ["*"])[key].decision == (
        "explicitDeny"
    )


READER = f"arn:aws:iam::{ACCOUNT}:user/reader"
READERS = f"arn:aws:iam::{ACCOUNT}:user/readers"
BUCKET_STATEMENT = {
    "Effect": "Allow",
    "Principal": {"AWS": READERS},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::bucket/*",
}


def _bucket_decision(
    caller: str, principal: Any, boundary: Sequence[Mapping[str, Any]] | None = None
) -> str:
    """s3:GetObject by ``caller`` with no identity policy, a bucket policy naming
    ``principal``, and optionally a permissions boundary."""
    request = SimulationRequest(
        principal=caller,
        account_id=ACCOUNT,
        actions=["s3:GetObject"],
        resources=["arn:aws:s3:::bucket/key"],
        identity_policies=[],
        resource_policy=PolicyInput("rp", _policy(dict(BUCKET_STATEMENT, Principal=principal))),
        permission_boundaries=None if boundary is None else [PolicyInput("b", _policy(*boundary))],
    )
    (result,) = simulate(request)
    return result.decision


def test_resource_policy_principal_is_matched_exactly() -> None:
    # moto tests the caller with substring containment: "user/reader" is in "user/readers".
    assert IAMPolicyStatement(BUCKET_STATEMENT)._check_principal(READER) is True
    assert _bucket_decision(READER, {"AWS": READERS}) == "implicitDeny"
    assert _bucket_decision(READERS, {"AWS": READERS}) == "allowed"
    assert _bucket_decision(READER, {"AWS": [READERS, READER]}) == "allowed"
    assert _bucket_decision(READER, "*") == "allowed"
    # Naming only the account delegates to identity policies: it grants nothing on its own.
    assert _bucket_decision(READER, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}) == "implicitDeny"
    assert _bucket_decision(READER, {"AWS": ACCOUNT}) == "implicitDeny"
    assert _bucket_decision(READER, {"Service": "lambda.amazonaws.com"}) == "implicitDeny"


def test_permissions_boundary_caps_resource_policy_grants_to_a_role_arn_only() -> None:
    boundary = [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]
    assert _bucket_decision(ROLE_ARN, {"AWS": ROLE_ARN}, boundary) == "implicitDeny"
    assert _bucket_decision(ROLE_ARN, {"AWS": ROLE_ARN}) == "allowed"
    assert _bucket_decision(ROLE_ARN, "*", boundary) == "allowed"  # covers the role session
    assert _bucket_decision(READER, {"AWS": READER}, boundary) == "allowed"  # IAM user ARN


def test_identity_policy_naming_a_principal_is_malformed() -> None:
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    with pytest.raises(PolicyValidationError) as caught:
        _evaluate([statement], ["s3:GetObject"])
    assert caught.value.problems == {"p": ["Policy document should not specify a principal."]}


def test_resource_type_templates_for_eval_resource_name() -> None:
    assert resource_type_arn("dynamodb:Query", f"{TABLE}/index/GSI1") == (
        "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}"
    )
    assert resource_type_arn("DynamoDB:GetItem", TABLE) == (
        "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
    )
    assert resource_type_arn("logs:PutLogEvents", f"{LOG_GROUP}:log-stream:x") == (
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
        ":log-stream:${LogStreamName}"
    )
    assert resource_type_arn("s3:GetObject", "arn:aws:s3:::bucket/a/b") == (
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    )
    assert resource_type_arn("dynamodb:GetItem", LOG_GROUP) is None  # another service's ARN
    assert resource_type_arn("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q") is None
    assert resource_type_arn("dynamodb:GetItem", "*") is None


# ------------------------------------------------------------ statement positions, helpers


def test_statement_spans_one_line_policy_matches_aws_columns() -> None:
    # AWS reports Column 41 for the first statement of a json.dumps()-style policy.
    text = json.dumps(_policy({"Effect": "Allow"}, {"Effect": "Deny"}))
    spans = statement_spans(text)
    assert [(s.start.line, s.start.column) for s in spans] == [(1, 41), (1, 62)]
    assert text[spans[0].start.column - 1] == "{"
    assert text[spans[0].end.column - 2] == "}"  # End is one column past the brace


def test_statement_spans_multi_line_and_single_object_statement() -> None:
    text = json.dumps(_policy({"Effect": "Allow", "Action": "s3:*"}), indent=2)
    (span,) = statement_spans(text)
    assert (span.start.line, span.start.column) == (4, 5)
    assert (span.end.line, span.end.column) == (7, 6)
    single = '{"Version":"2012-10-17","Statement":{"Effect":"Allow"}}'
    assert [(s.start.column, s.end.column) for s in statement_spans(single)] == [(37, 55)]
    assert statement_spans("[1, 2]") == []
    assert statement_spans("{not json") == []


def test_decisions_by_pair_reads_both_response_layouts() -> None:
    current = {
        "EvaluationResults": [
            {
                "EvalActionName": "s3:GetObject",
                "EvalResourceName": "arn:${Partition}:s3:::${BucketName}/${KeyName}",
                "EvalDecision": "implicitDeny",
                "ResourceSpecificResults": [
                    {"EvalResourceName": "arn:aws:s3:::a/x", "EvalResourceDecision": "allowed"},
                    {
                        "EvalResourceName": "arn:aws:s3:::b/x",
                        "EvalResourceDecision": "implicitDeny",
                    },
                ],
            }
        ]
    }
    former = {
        "EvaluationResults": [
            {"EvalActionName": "s3:GetObject", "EvalResourceName": "*", "EvalDecision": "allowed"}
        ]
    }
    assert decisions_by_pair(current) == {
        ("s3:GetObject", "arn:aws:s3:::a/x"): "allowed",
        ("s3:GetObject", "arn:aws:s3:::b/x"): "implicitDeny",
    }
    assert decisions_by_pair(former) == {("s3:GetObject", "*"): "allowed"}


# ------------------------------------------------------------------- (b) through boto3


LAMBDA_POLICY = _policy(
    {
        "Sid": "ItemsTable",
        "Effect": "Allow",
        "Action": [
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query",
        ],
        "Resource": [TABLE, f"{TABLE}/index/*"],
    }
)
LOGS_POLICY = _policy(
    {
        "Sid": "OwnLogGroup",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": f"{LOG_GROUP}:*",
    },
    {"Sid": "NoTableAdmin", "Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"},
)
HANDLER_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
]
DENIED_ACTIONS = ["dynamodb:Scan", "dynamodb:DeleteTable", "dynamodb:CreateTable"]
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
RESOURCES = [TABLE, f"{TABLE}/index/GSI1", OTHER_TABLE, f"{LOG_GROUP}:*", f"{OTHER_LOG_GROUP}:*"]


def _make_role(iam: Any) -> str:
    trust = _policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    arn = str(
        iam.create_role(RoleName="items-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
            "Arn"
        ]
    )
    iam.put_role_policy(
        RoleName="items-fn", PolicyName="items-table", PolicyDocument=json.dumps(LAMBDA_POLICY)
    )
    managed = iam.create_policy(PolicyName="items-logs", PolicyDocument=json.dumps(LOGS_POLICY))
    iam.attach_role_policy(RoleName="items-fn", PolicyArn=managed["Policy"]["Arn"])
    return arn


@pytest.fixture
def iam(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    iam_simulate.install()
    with mock_aws():
        yield boto3.client("iam", region_name=REGION)


def _assert_least_privilege(response: Mapping[str, Any]) -> None:
    decisions = decisions_by_pair(response)
    allowed = {pair for pair, decision in decisions.items() if decision == "allowed"}
    expected = {(a, r) for a in HANDLER_ACTIONS for r in (TABLE, f"{TABLE}/index/GSI1")} | {
        (a, f"{LOG_GROUP}:*") for a in LOG_ACTIONS
    }
    assert allowed == expected
    assert decisions[("dynamodb:DeleteTable", TABLE)] == "explicitDeny"
    assert decisions[("dynamodb:Scan", TABLE)] == "implicitDeny"
    assert decisions[("logs:PutLogEvents", f"{OTHER_LOG_GROUP}:*")] == "implicitDeny"
    assert len(decisions) == len(HANDLER_ACTIONS + DENIED_ACTIONS + LOG_ACTIONS) * len(RESOURCES)


def test_extension_is_registered_for_the_emulator() -> None:
    assert "iam_simulate" in EXTENSIONS


def test_simulate_principal_policy_on_the_lambda_role(iam: Any) -> None:
    role_arn = _make_role(iam)
    response = iam.simulate_principal_policy(
        PolicySourceArn=role_arn,
        ActionNames=HANDLER_ACTIONS + DENIED_ACTIONS + LOG_ACTIONS,
        ResourceArns=RESOURCES,
    )
    _assert_least_privilege(response)
    assert response["IsTruncated"] is False
    results = {r["EvalActionName"]: r for r in response["EvaluationResults"]}
    assert list(results) == HANDLER_ACTIONS + DENIED_ACTIONS + LOG_ACTIONS  # one per action

    get_item = results["dynamodb:GetItem"]
    # Most restrictive over the resources: GetItem is not allowed on the other table.
    assert get_item["EvalDecision"] == "implicitDeny"
    assert get_item["EvalResourceName"].startswith("arn:${Partition}:dynamodb:")
    assert [r["EvalResourceName"] for r in get_item["ResourceSpecificResults"]] == RESOURCES
    table_result = get_item["ResourceSpecificResults"][0]
    text = json.dumps(LAMBDA_POLICY)
    assert table_result["MatchedStatements"] == [
        {
            "SourcePolicyId": "items-table",
            "SourcePolicyType": "role",
            "StartPosition": {"Line": 1, "Column": 41},
            "EndPosition": {"Line": 1, "Column": text.rindex("]") + 1},
        }
    ]
    assert table_result["MissingContextValues"] == []

    delete_table = results["dynamodb:DeleteTable"]
    assert delete_table["EvalDecision"] == "explicitDeny"
    assert [
        (s["SourcePolicyId"], s["SourcePolicyType"]) for s in delete_table["MatchedStatements"]
    ] == [("items-logs", "user-managed")]


def test_simulate_principal_policy_honours_the_role_permissions_boundary(iam: Any) -> None:
    role_arn = _make_role(iam)
    boundary = iam.create_policy(
        PolicyName="boundary",
        PolicyDocument=json.dumps(
            _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"})
        ),
    )
    iam.put_role_permissions_boundary(
        RoleName="items-fn", PermissionsBoundary=boundary["Policy"]["Arn"]
    )
    response = iam.simulate_principal_policy(
        PolicySourceArn=role_arn,
        ActionNames=["dynamodb:GetItem", "dynamodb:PutItem"],
        ResourceArns=[TABLE],
    )
    get_item, put_item = response["EvaluationResults"]
    assert get_item["EvalDecision"] == "allowed"
    assert get_item["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    assert put_item["EvalDecision"] == "implicitDeny"
    assert put_item["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}


def test_simulate_custom_policy_shape_context_and_missing_values(iam: Any) -> None:
    policy = json.dumps(
        _policy(
            {
                "Effect": "Allow",
                "Action": "dynamodb:Query",
                "Resource": TABLE,
                "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["tenant-a"]}},
            },
            {
                "Effect": "Allow",
                "Action": "dynamodb:GetItem",
                "Resource": TABLE,
                "Condition": {"StringEquals": {"aws:RequestedRegion": REGION}},
            },
        )
    )
    response = iam.simulate_custom_policy(
        PolicyInputList=[policy],
        ActionNames=["dynamodb:Query", "dynamodb:GetItem"],
        ContextEntries=[
            {
                "ContextKeyName": "dynamodb:LeadingKeys",
                "ContextKeyValues": ["tenant-a"],
                "ContextKeyType": "stringList",
            }
        ],
    )
    query, get_item = response["EvaluationResults"]
    assert query["EvalDecision"] == "allowed"
    assert query["EvalResourceName"] == "*"
    assert "ResourceSpecificResults" not in query  # no ResourceArns given
    (statement,) = query["MatchedStatements"]
    assert statement["SourcePolicyId"] == "PolicyInputList.1"
    assert statement["SourcePolicyType"] == "IAM Policy"
    assert statement["StartPosition"] == {"Line": 1, "Column": 41}
    assert get_item["EvalDecision"] == "implicitDeny"
    assert get_item["MatchedStatements"] == []
    assert get_item["MissingContextValues"] == ["aws:RequestedRegion"]


def test_pagination_with_max_items(iam: Any) -> None:
    policy = json.dumps(_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    kwargs: dict[str, Any] = {
        "PolicyInputList": [policy],
        "ActionNames": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        "MaxItems": 2,
    }
    first = iam.simulate_custom_policy(**kwargs)
    assert first["IsTruncated"] is True
    second = iam.simulate_custom_policy(**kwargs, Marker=first["Marker"])
    assert second["IsTruncated"] is False
    names = [r["EvalActionName"] for r in first["EvaluationResults"] + second["EvaluationResults"]]
    assert names == ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]


def test_unknown_principal_is_no_such_entity_404(iam: Any) -> None:
    with pytest.raises(ClientError) as caught:
        iam.simulate_principal_policy(
            PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:role/does-not-exist",
            ActionNames=["dynamodb:GetItem"],
        )
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize(
    "document",
    [
        '{"Version": "2012-10-17", "Statement": [',
        json.dumps(_policy({"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"})),
    ],
    ids=["invalid-json", "invalid-grammar"],
)
def test_malformed_policy_is_malformed_policy_document_400(iam: Any, document: str) -> None:
    with pytest.raises(ClientError) as caught:
        iam.simulate_custom_policy(PolicyInputList=[document], ActionNames=["s3:GetObject"])
    assert caught.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unsupported_condition_operator_is_invalid_input_400(iam: Any) -> None:
    policy = _policy(
        {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "*",
            "Condition": {"NumericLessThan": {"dynamodb:Attributes": "3"}},
        }
    )
    with pytest.raises(ClientError) as caught:
        iam.simulate_custom_policy(
            PolicyInputList=[json.dumps(policy)], ActionNames=["dynamodb:GetItem"]
        )
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidInput"
    assert "NumericLessThan is not supported" in error["Message"]
    assert "PolicyInputList.1" in error["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_over_http_against_moto_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wire path the e2e suite uses: query-protocol XML parsed by boto3."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    iam_simulate.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client("iam", region_name=REGION, endpoint_url=f"http://{host}:{port}")
        role_arn = _make_role(client)
        response = client.simulate_principal_policy(
            PolicySourceArn=role_arn,
            ActionNames=HANDLER_ACTIONS + DENIED_ACTIONS + LOG_ACTIONS,
            ResourceArns=RESOURCES,
        )
        _assert_least_privilege(response)
    finally:
        server.stop()


def test_custom_policy_with_scps_and_a_resource_policy(iam: Any) -> None:
    allow_s3 = json.dumps(_policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    scps = [
        {
            "ServiceControlPolicyInputList": [
                json.dumps(_policy({"Effect": "Allow", "Action": "*", "Resource": "*"}))
            ]
        },
        {
            "ServiceControlPolicyInputList": [
                json.dumps(_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
            ]
        },
    ]
    response = iam.simulate_custom_policy(
        PolicyInputList=[allow_s3],
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::bucket/key"],
        OrderedOrganizationPolicyInputList=scps,
    )
    get_object, put_object = response["EvaluationResults"]
    assert get_object["EvalDecision"] == "allowed"
    assert get_object["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
    assert put_object["EvalDecision"] == "implicitDeny"
    assert put_object["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}

    caller = f"arn:aws:iam::{ACCOUNT}:user/reader"
    bucket_policy = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": caller},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
        }
    )
    response = iam.simulate_custom_policy(
        PolicyInputList=[
            json.dumps(_policy({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}))
        ],
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::bucket/key"],
        ResourcePolicy=json.dumps(bucket_policy),
        CallerArn=caller,
    )
    (result,) = response["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"
    assert [(s["SourcePolicyId"], s["SourcePolicyType"]) for s in result["MatchedStatements"]] == [
        ("ResourcePolicy", "resource")
    ]
