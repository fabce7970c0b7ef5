"""A REST API built directly in the emulator with boto3 (no Terraform), for gateway tests."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HANDLERS_SOURCE = Path(__file__).with_name("fixture_handlers.py")
STAGE = "v1"


def build_zip(path: Path, extra: str = "") -> Path:
    """The test code: fixture_handlers.py as handlers.py; ``extra`` changes the digest."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("handlers.py", HANDLERS_SOURCE.read_text() + extra)
    path.write_bytes(buffer.getvalue())
    return path


@dataclass
class Stack:
    api_id: str
    zip_path: Path
    table: str
    keys: dict[str, str] = field(default_factory=dict)  # name -> value
    key_ids: dict[str, str] = field(default_factory=dict)  # name -> id
    functions: dict[str, str] = field(default_factory=dict)  # name -> ARN
    resource_ids: dict[str, str] = field(default_factory=dict)  # path -> id


class StackBuilder:
    def __init__(self, clients: dict[str, Any], zip_path: Path, prefix: str) -> None:
        self.apigw = clients["apigateway"]
        self.lam = clients["lambda"]
        self.iam = clients["iam"]
        self.ddb = clients["dynamodb"]
        self.zip_path = zip_path
        self.prefix = prefix
        role = self.iam.create_role(
            RoleName=f"{prefix}-role",
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )
        self.role_arn = role["Role"]["Arn"]
        table = f"{prefix}-items"
        self.ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        api = self.apigw.create_rest_api(name=f"{prefix}-api")
        self.stack = Stack(api_id=api["id"], zip_path=zip_path, table=table)
        root = self.apigw.get_resources(restApiId=api["id"])["items"][0]
        self.stack.resource_ids["/"] = root["id"]

    def function(
        self,
        name: str,
        handler: str,
        timeout: int = 2,
        memory: int = 128,
        reserved: int | None = None,
    ) -> str:
        full = f"{self.prefix}-{name}"
        created = self.lam.create_function(
            FunctionName=full,
            Runtime="python3.12",
            Role=self.role_arn,
            Handler=f"handlers.{handler}",
            Code={"ZipFile": self.zip_path.read_bytes()},
            Timeout=timeout,
            MemorySize=memory,
            Environment={"Variables": {"TABLE_NAME": self.stack.table, "FIXTURE_MARKER": name}},
        )
        if reserved is not None:
            self.lam.put_function_concurrency(
                FunctionName=full, ReservedConcurrentExecutions=reserved
            )
        self.stack.functions[name] = created["FunctionArn"]
        return str(created["FunctionArn"])

    def resource(self, path: str) -> str:
        if path in self.stack.resource_ids:
            return self.stack.resource_ids[path]
        parent_path, _, part = path.rpartition("/")
        parent = self.resource(parent_path or "/")
        created = self.apigw.create_resource(
            restApiId=self.stack.api_id, parentId=parent, pathPart=part
        )
        self.stack.resource_ids[path] = created["id"]
        return str(created["id"])

    def method(
        self,
        path: str,
        verb: str,
        function: str,
        key_required: bool = True,
        timeout_ms: int | None = None,
    ) -> None:
        resource_id = self.resource(path)
        self.apigw.put_method(
            restApiId=self.stack.api_id,
            resourceId=resource_id,
            httpMethod=verb,
            authorizationType="NONE",
            apiKeyRequired=key_required,
        )
        arn = self.stack.functions[function]
        extra = {"timeoutInMillis": timeout_ms} if timeout_ms else {}
        self.apigw.put_integration(
            restApiId=self.stack.api_id,
            resourceId=resource_id,
            httpMethod=verb,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations",
            **extra,
        )

    def deploy(self, stage_throttles: dict[str, tuple[float, int]] | None = None) -> None:
        self.apigw.create_deployment(
            restApiId=self.stack.api_id, stageName=STAGE, variables={"env": "test"}
        )
        operations = []
        for method_path, (rate, burst) in (stage_throttles or {}).items():
            # "*/*" or "/resource/path/VERB"; the resource path is JSON-pointer escaped.
            resource, _, verb = method_path.rpartition("/")
            pointer = (
                "/*/*" if method_path == "*/*" else "/" + resource.replace("/", "~1") + "/" + verb
            )
            operations += [
                {"op": "replace", "path": f"{pointer}/throttling/rateLimit", "value": str(rate)},
                {"op": "replace", "path": f"{pointer}/throttling/burstLimit", "value": str(burst)},
            ]
        if operations:
            self.apigw.update_stage(
                restApiId=self.stack.api_id, stageName=STAGE, patchOperations=operations
            )

    def plan(
        self,
        name: str,
        keys: list[str],
        throttle: tuple[float, int] | None = None,
        quota: int | None = None,
        disabled: tuple[str, ...] = (),
    ) -> str:
        extra: dict[str, Any] = {}
        if throttle:
            extra["throttle"] = {"rateLimit": throttle[0], "burstLimit": throttle[1]}
        if quota is not None:
            extra["quota"] = {"limit": quota, "period": "DAY"}
        plan = self.apigw.create_usage_plan(
            name=f"{self.prefix}-{name}",
            apiStages=[{"apiId": self.stack.api_id, "stage": STAGE}],
            **extra,
        )
        for key_name in keys:
            self.key(key_name, plan_id=plan["id"], enabled=key_name not in disabled)
        return str(plan["id"])

    def key(self, name: str, plan_id: str | None = None, enabled: bool = True) -> str:
        key = self.apigw.create_api_key(name=f"{self.prefix}-{name}", enabled=enabled)
        self.stack.keys[name] = key["value"]
        self.stack.key_ids[name] = key["id"]
        if plan_id:
            self.apigw.create_usage_plan_key(
                usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY"
            )
        return str(key["value"])
