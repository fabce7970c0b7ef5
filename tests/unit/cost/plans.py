"""Synthetic ``terraform show -json`` plans: only the fields the cost report reads."""

from __future__ import annotations

from typing import Any


def resource(address: str, kind: str, **values: Any) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": kind, "name": address, "values": values}


def plan(
    *resources: dict[str, Any], children: list[list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    child_modules = [
        {"address": f"module.m{index}", "resources": list(group)}
        for index, group in enumerate(children or [])
    ]
    everything = [*resources, *(r for group in children or [] for r in group)]
    return {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {"resources": list(resources), "child_modules": child_modules}
        },
        "resource_changes": [
            {"address": r["address"], "type": r["type"], "change": {"actions": ["create"]}}
            for r in everything
        ],
    }


def serverless_core() -> list[dict[str, Any]]:
    """The default stack's shape: on-demand table, arm64 function, REST API, logs, IAM."""
    return [
        resource(
            "module.dynamodb.aws_dynamodb_table.this",
            "aws_dynamodb_table",
            billing_mode="PAY_PER_REQUEST",
            point_in_time_recovery=[{"enabled": True}],
        ),
        resource(
            "module.lambda.aws_lambda_function.this",
            "aws_lambda_function",
            function_name="sda-items-api",
            memory_size=256,
            architectures=["arm64"],
            tracing_config=[{"mode": "PassThrough"}],
        ),
        resource("module.lambda.aws_cloudwatch_log_group.this", "aws_cloudwatch_log_group"),
        resource("module.iam.aws_iam_role.this", "aws_iam_role"),
        resource("module.api.aws_api_gateway_rest_api.this", "aws_api_gateway_rest_api"),
        resource("module.api.aws_api_gateway_stage.this", "aws_api_gateway_stage"),
        resource('module.api.aws_api_gateway_api_key.this["default"]', "aws_api_gateway_api_key"),
        resource(
            'module.api.aws_api_gateway_usage_plan.this["default"]', "aws_api_gateway_usage_plan"
        ),
    ]


def alarm(name: str, **values: Any) -> dict[str, Any]:
    return resource(
        f"module.monitoring.aws_cloudwatch_metric_alarm.{name}[0]",
        "aws_cloudwatch_metric_alarm",
        **values,
    )
