"""Layers from other accounts and the AWS-published Powertools layer, in CreateFunction.

AWS's documented behaviour (Lambda developer guide, "Layer permissions" and
"AddLayerVersionPermission"): a function may use a layer version of another account only when
that version's policy grants lambda:GetLayerVersion to the function's account or to everyone
("*"); otherwise CreateFunction is refused. AWS publishes Powertools for AWS Lambda (Python) as
a public layer from account 017000801446 in every commercial region. A version that does not
exist is a ResourceNotFoundException.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from harness.emulator.extensions import EXTENSIONS, lambda_public_layers

REGION = "us-east-1"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
POWERTOOLS = (
    f"arn:aws:lambda:{REGION}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-arm64:27"
)
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("items_api/app.py", "def lambda_handler(event, context):\n    return {}\n")
    return buffer.getvalue()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        lambda_public_layers.install()
        iam = boto3.client("iam", region_name=REGION)
        role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        yield {"lambda": boto3.client("lambda", region_name=REGION), "role": role}


def _create(aws: dict[str, Any], layers: list[str], name: str = "fn") -> dict[str, Any]:
    response: dict[str, Any] = aws["lambda"].create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=aws["role"],
        Handler="items_api.app.lambda_handler",
        Code={"ZipFile": _zip()},
        Architectures=["arm64"],
        Layers=layers,
    )
    return response


def _other_account_layer(public: bool, granted_to: str | None = None) -> str:
    """Publish a layer version in OTHER_ACCOUNT (optionally shared) and return its ARN."""
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[OTHER_ACCOUNT][REGION]
    version = backend.publish_layer_version(
        {"LayerName": "shared", "Content": {"ZipFile": _zip_b64()}}
    )
    principal = "*" if public else granted_to
    if principal is not None:
        backend.add_layer_version_permission(
            "shared",
            version.version,
            '{"StatementId": "share", "Action": "lambda:GetLayerVersion", '
            f'"Principal": "{principal}"}}',
        )
    return str(version.arn)


def _zip_b64() -> str:
    import base64

    return base64.b64encode(_zip()).decode()


def test_the_extension_is_installed_in_the_emulator() -> None:
    assert "lambda_public_layers" in EXTENSIONS


def test_the_aws_published_powertools_layer_can_be_used_at_the_version_named(
    aws: dict[str, Any],
) -> None:
    created = _create(aws, [POWERTOOLS])

    assert created["Layers"] == [{"Arn": POWERTOOLS, "CodeSize": created["Layers"][0]["CodeSize"]}]
    fetched = aws["lambda"].get_function(FunctionName="fn")["Configuration"]["Layers"]
    assert [layer["Arn"] for layer in fetched] == [POWERTOOLS]


def test_a_layer_in_the_functions_own_account_still_works(aws: dict[str, Any]) -> None:
    own = aws["lambda"].publish_layer_version(LayerName="own", Content={"ZipFile": _zip()})

    created = _create(aws, [own["LayerVersionArn"]])

    assert [layer["Arn"] for layer in created["Layers"]] == [own["LayerVersionArn"]]


def test_a_public_layer_of_another_account_can_be_used(aws: dict[str, Any]) -> None:
    arn = _other_account_layer(public=True)

    created = _create(aws, [arn])

    assert [layer["Arn"] for layer in created["Layers"]] == [arn]


def test_a_layer_shared_with_this_account_can_be_used(aws: dict[str, Any]) -> None:
    arn = _other_account_layer(public=False, granted_to=ACCOUNT)

    assert [layer["Arn"] for layer in _create(aws, [arn])["Layers"]] == [arn]


def test_a_private_layer_of_another_account_is_refused(aws: dict[str, Any]) -> None:
    arn = _other_account_layer(public=False)

    with pytest.raises(ClientError) as raised:
        _create(aws, [arn])

    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "lambda:GetLayerVersion" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:layer:never-published:1",
        f"arn:aws:lambda:{REGION}:017000801446:layer:NotAPowertoolsLayer:3",
    ],
)
def test_a_layer_version_that_does_not_exist_is_not_found(aws: dict[str, Any], arn: str) -> None:
    with pytest.raises(ClientError) as raised:
        _create(aws, [arn])

    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_updating_the_layers_resolves_them_the_same_way(aws: dict[str, Any]) -> None:
    _create(aws, [])
    newer = POWERTOOLS.rsplit(":", 1)[0] + ":28"

    updated = aws["lambda"].update_function_configuration(FunctionName="fn", Layers=[newer])

    assert [layer["Arn"] for layer in updated["Layers"]] == [newer]
