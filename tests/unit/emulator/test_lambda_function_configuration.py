"""UpdateFunctionConfiguration keys moto dropped, and a reserved concurrency of 0.

AWS's documented behaviour (Lambda API reference, "UpdateFunctionConfiguration", "GetFunction"):
an update of TracingConfig, EphemeralStorage or KMSKeyArn is reported by the next
GetFunctionConfiguration/GetFunction; GetFunction reports Concurrency.ReservedConcurrentExecutions
for any reservation, 0 included, and omits Concurrency when there is none.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from harness.emulator.extensions import EXTENSIONS, lambda_function_configuration

REGION = "us-east-1"
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        lambda_function_configuration.install()
        iam = boto3.client("iam", region_name=REGION)
        role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("app.py", "def handler(event, context):\n    return {}\n")
        lambda_client = boto3.client("lambda", region_name=REGION)
        lambda_client.create_function(
            FunctionName="fn",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": buffer.getvalue()},
            TracingConfig={"Mode": "Active"},
        )
        yield lambda_client


def test_the_extension_is_installed_in_the_emulator() -> None:
    assert "lambda_function_configuration" in EXTENSIONS


def test_switching_tracing_off_is_reported_by_the_next_read(client: Any) -> None:
    client.update_function_configuration(FunctionName="fn", TracingConfig={"Mode": "PassThrough"})

    configuration = client.get_function_configuration(FunctionName="fn")
    assert configuration["TracingConfig"] == {"Mode": "PassThrough"}
    assert client.get_function(FunctionName="fn")["Configuration"]["TracingConfig"] == {
        "Mode": "PassThrough"
    }


def test_ephemeral_storage_and_kms_key_updates_are_kept(client: Any) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"

    client.update_function_configuration(
        FunctionName="fn", EphemeralStorage={"Size": 1024}, KMSKeyArn=key
    )

    configuration = client.get_function_configuration(FunctionName="fn")
    assert configuration["EphemeralStorage"] == {"Size": 1024}
    assert configuration["KMSKeyArn"] == key


def test_a_memory_update_still_works_and_leaves_tracing_alone(client: Any) -> None:
    client.update_function_configuration(FunctionName="fn", MemorySize=512)

    configuration = client.get_function_configuration(FunctionName="fn")
    assert configuration["MemorySize"] == 512
    assert configuration["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("reserved", [0, 5])
def test_get_function_reports_any_reserved_concurrency_including_zero(
    client: Any, reserved: int
) -> None:
    client.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=reserved)

    assert client.get_function(FunctionName="fn")["Concurrency"] == {
        "ReservedConcurrentExecutions": reserved
    }


def test_get_function_omits_concurrency_when_nothing_is_reserved(client: Any) -> None:
    client.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=3)
    client.delete_function_concurrency(FunctionName="fn")

    assert "Concurrency" not in client.get_function(FunctionName="fn")
