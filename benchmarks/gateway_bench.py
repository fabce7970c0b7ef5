"""Gateway benchmark: throughput and latency through the local API Gateway vs in-process calls.

``python -m benchmarks.gateway_bench [--clients 8] [--requests 400]``

Starts its own emulator, builds a small REST API with boto3 (one AWS_PROXY method per handler),
and for each handler runs the same requests twice with N concurrent clients: over HTTP through
the gateway (worker processes, the full data plane) and by calling the handler in this process.
It prints requests/s, p50 and p99 for both and the ratio, then cold vs warm invocation times.
Everything binds loopback, every loop is bounded in count and time, and everything is stopped.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3

from harness.emulator import Emulator, running
from harness.gateway import serve

STAGE = "bench"
TIME_LIMIT_SECONDS = 60.0
HANDLER_SOURCE = """
import json
import os

import boto3

_table = None


def _items():
    global _table
    if _table is None:
        _table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
    return _table


def noop(event, context):
    return {"statusCode": 200, "body": json.dumps({"ok": True, "path": event["path"]})}


def item(event, context):
    item_id = event["pathParameters"]["id"]
    table = _items()
    table.put_item(Item={"id": item_id, "body": event.get("body") or ""})
    stored = table.get_item(Key={"id": item_id})["Item"]
    return {"statusCode": 200, "body": json.dumps(stored)}
"""


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _run_clients(clients: int, total: int, call: Callable[[int, int], bool]) -> Figures:
    """``clients`` threads share ``total`` requests; ``call(client, n)`` returns success."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + TIME_LIMIT_SECONDS

    def worker(client: int) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            try:
                ok = call(client, n)
            except Exception:  # counted, and reported as errors
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT_SECONDS + 10)
    return Figures(len(latencies), time.perf_counter() - started, latencies, errors)


class _Context:
    def __init__(self, name: str) -> None:
        self.function_name = name
        self.aws_request_id = "bench"
        self.memory_limit_in_mb = "128"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


def _build_stack(emulator: Emulator, zip_bytes: bytes) -> tuple[str, str, str]:
    env = emulator.client_env()
    session = boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=emulator.region,
    )
    iam = session.client("iam", endpoint_url=emulator.endpoint)
    lam = session.client("lambda", endpoint_url=emulator.endpoint)
    apigw = session.client("apigateway", endpoint_url=emulator.endpoint)
    ddb = session.client("dynamodb", endpoint_url=emulator.endpoint)
    table = "bench-items"
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    api = apigw.create_rest_api(name="bench")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    for name in ("noop", "item"):
        fn = lam.create_function(
            FunctionName=f"bench-{name}",
            Runtime="python3.12",
            Role=role,
            Handler=f"bench_handler.{name}",
            Code={"ZipFile": zip_bytes},
            Timeout=10,
            Environment={"Variables": {"TABLE_NAME": table}},
        )["FunctionArn"]
        parent = apigw.create_resource(restApiId=api, parentId=root, pathPart=name)["id"]
        resource = apigw.create_resource(restApiId=api, parentId=parent, pathPart="{id}")["id"]
        apigw.put_method(
            restApiId=api,
            resourceId=resource,
            httpMethod="PUT",
            authorizationType="NONE",
            apiKeyRequired=True,
        )
        apigw.put_integration(
            restApiId=api,
            resourceId=resource,
            httpMethod="PUT",
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations",
        )
    apigw.create_deployment(restApiId=api, stageName=STAGE)
    plan = apigw.create_usage_plan(name="bench", apiStages=[{"apiId": api, "stage": STAGE}])["id"]
    key = apigw.create_api_key(name="bench", enabled=True)
    apigw.create_usage_plan_key(usagePlanId=plan, keyId=key["id"], keyType="API_KEY")
    return api, table, key["value"]


def _http_caller(base_url: str, api_key: str, name: str) -> Callable[[int, int], bool]:
    target = urlsplit(base_url)
    connections: dict[int, http.client.HTTPConnection] = {}

    def call(client: int, n: int) -> bool:
        connection = connections.get(client)
        if connection is None:
            connection = connections[client] = http.client.HTTPConnection(
                target.hostname or "", target.port, timeout=30
            )
        connection.request(
            "PUT",
            f"{target.path}/{name}/c{client}-{n}",
            body=f"payload-{n}",
            headers={"x-api-key": api_key},
        )
        response = connection.getresponse()
        response.read()
        return response.status == 200

    return call


def _in_process_caller(
    module: Any, name: str, event_for: Callable[[str, str], dict[str, Any]]
) -> Callable[[int, int], bool]:
    handler = getattr(module, name)
    context = _Context(f"bench-{name}")

    def call(client: int, n: int) -> bool:
        result = handler(event_for(f"c{client}-{n}", f"payload-{n}"), context)
        return bool(result["statusCode"] == 200)

    return call


def _event(name: str) -> Callable[[str, str], dict[str, Any]]:
    def build(item_id: str, body: str) -> dict[str, Any]:
        return {
            "resource": f"/{name}/{{id}}",
            "path": f"/{name}/{item_id}",
            "httpMethod": "PUT",
            "pathParameters": {"id": item_id},
            "body": body,
            "requestContext": {"stage": STAGE},
        }

    return build


def _row(label: str, figures: Figures) -> str:
    return (
        f"  {label:<12} {figures.rps:9.1f} req/s   p50 {figures.percentile(0.5):7.2f} ms   "
        f"p99 {figures.percentile(0.99):7.2f} ms   "
        f"({figures.requests} requests, {figures.errors} errors)"
    )


def _bench_handler(
    name: str, base_url: str, api_key: str, module: Any, args: argparse.Namespace
) -> tuple[float, list[float], int]:
    """Print gateway vs in-process figures for one handler; return cold, warm and errors."""
    probe = _http_caller(base_url, api_key, name)
    started = time.perf_counter()
    probe(999, 0)
    cold_ms = (time.perf_counter() - started) * 1000
    warm = _run_clients(1, args.warm_samples, probe)
    http_calls = _http_caller(base_url, api_key, name)
    # Warm every worker the concurrent run will use before measuring.
    _run_clients(args.clients, args.clients * 4, http_calls)
    through_gateway = _run_clients(args.clients, args.requests, http_calls)
    in_process_calls = _in_process_caller(module, name, _event(name))
    in_process = _run_clients(args.clients, args.requests, in_process_calls)
    ratio = through_gateway.rps / in_process.rps if in_process.rps else 0.0
    what = "put_item + get_item on DynamoDB" if name == "item" else "no I/O"
    overhead = through_gateway.percentile(0.5) - in_process.percentile(0.5)
    print(f"handler '{name}' ({what}):")
    print(_row("gateway", through_gateway))
    print(_row("in-process", in_process))
    print(f"  ratio        {ratio:.2f}x of in-process throughput; p50 overhead {overhead:.2f} ms\n")
    errors = warm.errors + through_gateway.errors + in_process.errors
    return cold_ms, warm.latencies_ms, errors


def _write_zip(workdir: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bench_handler.py", HANDLER_SOURCE)
    zip_path = workdir / "bench.zip"
    zip_path.write_bytes(buffer.getvalue())
    return zip_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="per handler and path")
    parser.add_argument("--warm-samples", type=int, default=20)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="sda-gateway-bench-"))
    zip_path = _write_zip(workdir)
    with running() as emulator:
        api, table, api_key = _build_stack(emulator, zip_path.read_bytes())
        # The in-process side imports the same code and talks to the same emulator.
        os.environ.update({**emulator.client_env(), "AWS_SESSION_TOKEN": "x", "TABLE_NAME": table})
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(workdir / "code")
        sys.path.insert(0, str(workdir / "code"))
        module = importlib.import_module("bench_handler")
        with serve(
            endpoint=emulator.endpoint,
            rest_api_id=api,
            stage=STAGE,
            zip_path=zip_path,
            reload_seconds=0,
        ) as gateway:
            print(
                f"\ngateway benchmark: {args.clients} concurrent clients, {args.requests} requests"
            )
            print("per run, loopback, moto emulator; same zip, same events\n")
            cold_warm = {
                name: _bench_handler(name, gateway.base_url, api_key, module, args)
                for name in ("noop", "item")
            }
            print("cold vs warm through the gateway (first request of a new worker vs the next):")
            for name, (cold_ms, warm_ms, _) in cold_warm.items():
                warm_p50 = statistics.median(warm_ms)
                print(f"  {name:<12} cold {cold_ms:8.1f} ms   warm p50 {warm_p50:6.2f} ms")
            print()
    shutil.rmtree(workdir, ignore_errors=True)
    errors = sum(errors for _, _, errors in cold_warm.values())
    if errors:
        raise SystemExit(f"{errors} requests failed: the figures above are not valid")


if __name__ == "__main__":
    main()
