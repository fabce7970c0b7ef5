"""API Gateway TagResource / UntagResource / GetTags on REST APIs, API keys, usage plans and stages.

AWS's documented behaviour (API Gateway REST API reference, "TagResource", "UntagResource",
"GetTags"): tags given at create time are returned by GetTags; TagResource merges (a key given
again is overwritten); UntagResource removes exactly the named keys; an ARN naming a resource
that does not exist is a 404 NotFoundException. Checked in-process and over HTTP, where the
server sees the URL-decoded ARN (the path the AWS provider takes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from harness.emulator.extensions import EXTENSIONS, apigateway_tags

REGION = "us-east-1"
CREATED_WITH = {"Stack": "sda-t", "Project": "serverless-data-api"}


def _rest_api(client: Any) -> str:
    api_id = client.create_rest_api(name="sda-t-api", tags=CREATED_WITH)["id"]
    return f"arn:aws:apigateway:{REGION}::/restapis/{api_id}"


def _api_key(client: Any) -> str:
    key_id = client.create_api_key(name="sda-t-api-default", enabled=True, tags=CREATED_WITH)["id"]
    return f"arn:aws:apigateway:{REGION}::/apikeys/{key_id}"


def _usage_plan(client: Any) -> str:
    plan_id = client.create_usage_plan(name="sda-t-api-default", tags=CREATED_WITH)["id"]
    return f"arn:aws:apigateway:{REGION}::/usageplans/{plan_id}"


def _stage(client: Any) -> str:
    api_id = client.create_rest_api(name="sda-t-api")["id"]
    root_id = client.get_resources(restApiId=api_id)["items"][0]["id"]
    client.put_method(
        restApiId=api_id, resourceId=root_id, httpMethod="GET", authorizationType="NONE"
    )
    client.put_integration(restApiId=api_id, resourceId=root_id, httpMethod="GET", type="MOCK")
    deployment_id = client.create_deployment(restApiId=api_id)["id"]
    client.create_stage(
        restApiId=api_id, stageName="v1", deploymentId=deployment_id, tags=CREATED_WITH
    )
    return f"arn:aws:apigateway:{REGION}::/restapis/{api_id}/stages/v1"


RESOURCES: dict[str, Callable[[Any], str]] = {
    "rest api": _rest_api,
    "api key": _api_key,
    "usage plan": _usage_plan,
    "stage": _stage,
}


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        apigateway_tags.install()
        yield boto3.client("apigateway", region_name=REGION)


@pytest.fixture(scope="module")
def over_http() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            patch.setenv(name, "testing")
        apigateway_tags.install()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            yield boto3.client(
                "apigateway", region_name=REGION, endpoint_url=f"http://{host}:{port}"
            )
        finally:
            server.stop()


def test_the_extension_is_installed_in_the_emulator() -> None:
    assert "apigateway_tags" in EXTENSIONS


@pytest.mark.parametrize("kind", RESOURCES)
def test_tags_merge_and_untag_removes_only_the_named_keys_in_process(
    in_process: Any, kind: str
) -> None:
    _tag_lifecycle(in_process, RESOURCES[kind](in_process))


@pytest.mark.parametrize("kind", RESOURCES)
def test_tags_merge_and_untag_removes_only_the_named_keys_over_http(
    over_http: Any, kind: str
) -> None:
    _tag_lifecycle(over_http, RESOURCES[kind](over_http))


def _tag_lifecycle(client: Any, arn: str) -> None:
    assert client.get_tags(resourceArn=arn)["tags"] == CREATED_WITH

    client.tag_resource(resourceArn=arn, tags={"CostCenter": "42", "Project": "renamed"})
    assert client.get_tags(resourceArn=arn)["tags"] == {
        "Stack": "sda-t",
        "Project": "renamed",
        "CostCenter": "42",
    }

    client.untag_resource(resourceArn=arn, tagKeys=["CostCenter", "Project", "Absent"])
    assert client.get_tags(resourceArn=arn)["tags"] == {"Stack": "sda-t"}


def test_tags_are_what_the_resource_itself_reports(in_process: Any) -> None:
    arn = _api_key(in_process)
    key_id = arn.rsplit("/", 1)[-1]

    in_process.tag_resource(resourceArn=arn, tags={"Owner": "platform"})

    assert in_process.get_api_key(apiKey=key_id)["tags"]["Owner"] == "platform"


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:apigateway:{REGION}::/restapis/doesnotexist",
        f"arn:aws:apigateway:{REGION}::/apikeys/doesnotexist",
        f"arn:aws:apigateway:{REGION}::/usageplans/doesnotexist",
        f"arn:aws:apigateway:{REGION}::/unknowntype/abc",
    ],
)
def test_an_arn_of_a_missing_resource_is_a_not_found_error(over_http: Any, arn: str) -> None:
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_tags", {}),
        ("tag_resource", {"tags": {"a": "b"}}),
        ("untag_resource", {"tagKeys": ["a"]}),
    ]
    for operation, arguments in calls:
        with pytest.raises(ClientError) as raised:
            getattr(over_http, operation)(resourceArn=arn, **arguments)
        assert raised.value.response["Error"]["Code"] == "NotFoundException"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
