"""Handlers packed into the test zip (this file is the zip's ``handlers.py``).

Each one exercises one behaviour of the local API Gateway + Lambda runtime.
"""

import base64
import json
import os
import time
import uuid
from typing import Any

import boto3

print("init: handlers module imported")  # appears in the log stream on cold starts only
_TABLES: dict[str, Any] = {}


def echo(event: dict[str, Any], context: Any) -> Any:
    print(f"echo {context.aws_request_id}")
    body = {
        "event": event,
        "context": {
            "aws_request_id": context.aws_request_id,
            "function_name": context.function_name,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "invoked_function_arn": context.invoked_function_arn,
            "remaining_ms": context.get_remaining_time_in_millis(),
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
        },
        "env": dict(os.environ),
        "pid": os.getpid(),
    }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Echo": "yes"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps(body),
    }


def sleeper(event: dict[str, Any], context: Any) -> Any:
    seconds = float((event.get("queryStringParameters") or {}).get("seconds", "0"))
    time.sleep(seconds)
    return {"statusCode": 200, "body": json.dumps({"slept": seconds, "pid": os.getpid()})}


def crasher(event: dict[str, Any], context: Any) -> Any:
    print("about to crash")
    os._exit(1)


def raiser(event: dict[str, Any], context: Any) -> Any:
    raise RuntimeError("handler failed on purpose")


def malformed(event: dict[str, Any], context: Any) -> Any:
    kind = (event.get("queryStringParameters") or {}).get("kind", "no-status")
    if kind == "no-status":
        return {"body": "no status code"}
    if kind == "dict-body":
        return {"statusCode": 200, "body": {"not": "a string"}}
    if kind == "not-an-object":
        return "just a string"
    if kind == "not-json":
        return {1, 2}  # not JSON-serialisable: the runtime reports an error
    return {"statusCode": 200, "body": "fine"}


def binary(event: dict[str, Any], context: Any) -> Any:
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/octet-stream"},
        "body": base64.b64encode(bytes(range(256))).decode(),
        "isBase64Encoded": True,
    }


def writer(event: dict[str, Any], context: Any) -> Any:
    if "items" not in _TABLES:  # created once per execution environment, reused when warm
        _TABLES["items"] = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    item_id = (event.get("pathParameters") or {}).get("id") or str(uuid.uuid4())
    item = {"id": item_id, "body": event.get("body") or ""}
    _TABLES["items"].put_item(Item=item)
    return {"statusCode": 201, "body": json.dumps(item)}
