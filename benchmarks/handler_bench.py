"""Speed benchmark: items handler vs a bare boto3 handler (python -m benchmarks.handler_bench).

Prints figures side by side (no assertions):

1. Cold init - a fresh interpreter per sample: import the handler module + its first invocation
   (a GetItem of an existing item), this handler vs a minimal handler that only creates a boto3
   DynamoDB client at import and calls GetItem. Storage is a moto server this script starts on
   127.0.0.1 (a free port) and stops by PID at the end, so both handlers make one real HTTP
   round trip. Interpreter start-up (identical for both) is excluded: the clock starts at the
   first line of the child script, like Lambda's INIT phase starts after the runtime boots.
   Samples alternate bare/handler so machine noise hits both; the median is reported.
2. Warm per-request time with storage stubbed (botocore ``Stubber``; no network): this handler
   serving ``GET /items/{id}`` end to end (preflight, routing, validation, GetItem, ETag,
   envelope, log context, EMF metrics flush) vs the bare handler doing the same GetItem.
3. The deployment zip of ``lambda/items_api/**/*.py``, built deterministically in memory
   (sorted entries, fixed timestamps and permissions, deflate level 9).

Tracing is disabled (``POWERTOOLS_TRACE_DISABLED=true``) as in local runs; on AWS the X-Ray SDK
adds to the handler's cold start.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LAMBDA_DIR = REPO / "lambda"
TABLE = "bench-items"
TENANT = "benchtenant1"
ITEM_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
REGION = "us-east-1"

TARGET_COLD = 1.25
TARGET_WARM = 1.5
TARGET_ZIP = 64 * 1024

_CHILD_PRELUDE = "import time as _t; _T0 = _t.perf_counter()\n"

BARE_CHILD = textwrap.dedent(
    f"""
    import json, sys
    import boto3

    client = boto3.client("dynamodb")

    def handler(event, context):
        return client.get_item(
            TableName="{TABLE}",
            Key={{"PK": {{"S": "TENANT#{TENANT}"}}, "SK": {{"S": "ITEM#{ITEM_ID}"}}}},
        )

    result = handler({{}}, None)
    elapsed = (_t.perf_counter() - _T0) * 1000
    assert "Item" in result, result
    print("BENCH_RESULT " + json.dumps({{"ms": elapsed}}))
    """
)

HANDLER_CHILD = textwrap.dedent(
    """
    import json, os

    from items_api.app import lambda_handler

    class Context:
        function_name = "items-api-bench"
        function_version = "$LATEST"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items-api-bench"
        aws_request_id = "bench-request"

        def get_remaining_time_in_millis(self):
            return 30000

    result = lambda_handler(json.loads(os.environ["BENCH_EVENT"]), Context())
    elapsed = (_t.perf_counter() - _T0) * 1000
    assert result["statusCode"] == 200, result
    print("BENCH_RESULT " + json.dumps({"ms": elapsed}))
    """
)


class FakeContext:
    function_name = "items-api-bench"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items-api-bench"
    aws_request_id = "bench-request"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def event_for(item_id: str = ITEM_ID) -> dict[str, Any]:
    """A realistic API Gateway REST proxy event for GET /items/{id}."""
    path = f"/items/{item_id}"
    headers = {"Accept": "application/json", "Host": "api.example.com", "x-api-key": "k" * 40}
    return {
        "resource": "/items/{id}",
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"id": item_id},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "httpMethod": "GET",
            "identity": {"apiKey": "k" * 40, "apiKeyId": TENANT, "sourceIp": "203.0.113.7"},
            "path": f"/v1{path}",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "resourcePath": "/items/{id}",
            "stage": "v1",
        },
        "body": None,
        "isBase64Encoded": False,
    }


def _stored_item() -> dict[str, Any]:
    return {
        "PK": {"S": f"TENANT#{TENANT}"},
        "SK": {"S": f"ITEM#{ITEM_ID}"},
        "entity": {"S": "ITEM"},
        "id": {"S": ITEM_ID},
        "name": {"S": "benchmark item"},
        "description": {"S": "an item used by the benchmark"},
        "attributes": {"S": json.dumps({"colour": "blue", "sizes": [1, 2, 3]})},
        "version": {"N": "3"},
        "created_at": {"S": "2026-01-01T00:00:00.000Z"},
        "updated_at": {"S": "2026-01-02T00:00:00.000Z"},
    }


# -- moto server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310 - loopback http URL we built
                    break
            except urllib.error.HTTPError:
                break  # any HTTP answer means the server is up
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()  # by the PID we started, nothing else
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _aws_env(endpoint: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's fake credentials
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        TABLE_NAME=TABLE,
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_SERVICE_NAME="items-api",
        POWERTOOLS_METRICS_NAMESPACE="ServerlessDataApi",
        POWERTOOLS_LOG_LEVEL="INFO",
        PYTHONPATH=os.pathsep.join([str(REPO), str(LAMBDA_DIR)]),
    )
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


def _seed_table(endpoint: str) -> None:
    import boto3

    from harness.aws.dynamodb import create_items_table

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's fake credentials
    )
    create_items_table(client, TABLE)
    client.put_item(TableName=TABLE, Item=_stored_item())


# -- 1. cold init ---------------------------------------------------------------------------


def _run_child(source: str, env: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD_PRELUDE + source],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return float(json.loads(line.removeprefix("BENCH_RESULT "))["ms"])
    raise RuntimeError(f"child failed ({result.returncode}): {result.stderr[-2000:]}")


def cold_init(repeats: int) -> tuple[list[float], list[float]]:
    """Median-able samples (ms) of import + first invocation, bare and handler, interleaved.

    Like the deployed zip (``.py`` only, read-only ``/var/task``), the handler package is
    imported from a fresh copy without ``__pycache__`` and bytecode writing is off, so it is
    compiled on every cold start; site-packages keep their ``.pyc`` (as the Lambda runtime's
    boto3 and the Powertools layer do).
    """
    bare: list[float] = []
    handler: list[float] = []
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as package_dir:
        with zipfile.ZipFile(io.BytesIO(build_zip())) as archive:
            archive.extractall(package_dir)
        _seed_table(endpoint)
        env = _aws_env(endpoint)
        env["PYTHONPATH"] = package_dir
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["BENCH_EVENT"] = json.dumps(event_for())
        _run_child(BARE_CHILD, env)  # warm the OS file cache for both
        _run_child(HANDLER_CHILD, env)
        for index in range(repeats):
            order = [(BARE_CHILD, bare), (HANDLER_CHILD, handler)]
            if index % 2:
                order.reverse()
            for source, samples in order:
                samples.append(_run_child(source, env))
    return bare, handler


# -- 2. warm per-request --------------------------------------------------------------------


class _NullStream(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def _stubbed(client: Any, operation: str, response: dict[str, Any], calls: int) -> Any:
    """Queue ``calls`` canned responses; ``Stubber`` short-circuits the HTTP send only, so
    parameter validation, serialization, endpoint resolution and parsing still run."""
    from botocore.stub import Stubber

    stubber = Stubber(client)
    for _ in range(calls):
        stubber.add_response(operation, response)
    stubber.activate()
    return stubber


def _time_batch(fn: Callable[[], Any], calls: int) -> float:
    """Mean time per call over one batch, in microseconds."""
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls * 1e6


def _patch_event() -> dict[str, Any]:
    event = event_for()
    event["httpMethod"] = event["requestContext"]["httpMethod"] = "PATCH"
    headers = {**event["headers"], "Content-Type": "application/json", "If-Match": '"3"'}
    event["headers"] = headers
    event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    event["body"] = json.dumps({"name": "renamed"})
    return event


def warm_overhead(calls: int, batches: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per-call microseconds per batch, {case: (bare, handler)}; batches alternate."""
    os.environ.update({k: v for k, v in _aws_env(None).items() if k != "PYTHONPATH"})
    for path in (str(LAMBDA_DIR), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import boto3

    from items_api import container, storage
    from items_api.app import lambda_handler

    total = calls * batches + 50
    context = FakeContext()

    # Minimal handlers: take the proxy event, make the one DynamoDB call, return JSON.
    bare_get_client = boto3.client("dynamodb", region_name=REGION)
    bare_patch_client = boto3.client("dynamodb", region_name=REGION)

    def _key(event: dict[str, Any]) -> dict[str, Any]:
        tenant = event["requestContext"]["identity"]["apiKeyId"]
        item_id = event["pathParameters"]["id"]
        return {"PK": {"S": f"TENANT#{tenant}"}, "SK": {"S": f"ITEM#{item_id}"}}

    def bare_get(event: dict[str, Any]) -> dict[str, Any]:
        key = _key(event)
        item = bare_get_client.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
        return {"statusCode": 200, "body": json.dumps(item)}

    def bare_patch(event: dict[str, Any]) -> dict[str, Any]:
        key = _key(event)
        body = json.loads(event["body"])
        item = bare_patch_client.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression="SET #n = :n, #v = #v + :one",
            ConditionExpression="#v = :v",
            ExpressionAttributeNames={"#n": "name", "#v": "version"},
            ExpressionAttributeValues={
                ":n": {"S": body["name"]},
                ":one": {"N": "1"},
                ":v": {"N": event["headers"]["If-Match"].strip('"')},
            },
            ReturnValues="ALL_NEW",
        )["Attributes"]
        return {"statusCode": 200, "body": json.dumps(item)}

    get_event, patch_event = event_for(), _patch_event()
    stubs = [
        _stubbed(bare_get_client, "get_item", {"Item": _stored_item()}, total),
        _stubbed(bare_patch_client, "update_item", {"Attributes": _stored_item()}, total),
    ]
    # The handler makes exactly one call per request, so two stubbed clients (one per case)
    # are swapped in before each batch.
    handler_get_client = storage.new_client(REGION)
    handler_patch_client = storage.new_client(REGION)
    stubs += [
        _stubbed(handler_get_client, "get_item", {"Item": _stored_item()}, total),
        _stubbed(handler_patch_client, "update_item", {"Attributes": _stored_item()}, total),
    ]

    def run_handler(event: dict[str, Any]) -> dict[str, Any]:
        response = lambda_handler(event, context)
        if response["statusCode"] != 200:
            raise RuntimeError(response)
        return response

    cases = {
        "GET /items/{id}": (get_event, bare_get, handler_get_client),
        "PATCH /items/{id}": (patch_event, bare_patch, handler_patch_client),
    }
    results: dict[str, tuple[list[float], list[float]]] = {}
    with contextlib.redirect_stdout(_NullStream()):
        for name, (event, bare, client) in cases.items():
            container.reset(client=False)  # the service captures the client it is built with
            storage.set_client(client)
            bare_us: list[float] = []
            handler_us: list[float] = []
            for _ in range(25):  # warm both paths (route compilation, caches)
                bare(event)
                run_handler(event)
            for _ in range(batches):
                bare_us.append(_time_batch(lambda b=bare, e=event: b(e), calls))
                handler_us.append(_time_batch(lambda e=event: run_handler(e), calls))
            results[name] = (bare_us, handler_us)
    for stub in stubs:
        stub.deactivate()
    storage.reset_client()
    return results


# -- 3. zip ---------------------------------------------------------------------------------


def build_zip(source: Path = LAMBDA_DIR / "items_api") -> bytes:
    """The deployment package: items_api/**/*.py only, byte-for-byte reproducible."""
    buffer = io.BytesIO()
    files = sorted(p for p in source.rglob("*.py") if "__pycache__" not in p.parts)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(
                path.relative_to(source.parent).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


# -- report ---------------------------------------------------------------------------------


def _label(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="items handler speed benchmark")
    parser.add_argument("--repeats", type=int, default=7, help="cold-start samples per handler")
    parser.add_argument("--calls", type=int, default=100, help="warm calls per batch")
    parser.add_argument("--batches", type=int, default=11, help="warm batches (median)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    package = build_zip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}; cpus={os.cpu_count()}; load1={load:.1f}", flush=True)

    bare_cold, handler_cold = cold_init(args.repeats)
    warm = warm_overhead(args.calls, args.batches)
    bare_get, handler_get = warm["GET /items/{id}"]
    bare_patch, handler_patch = warm["PATCH /items/{id}"]

    med = statistics.median
    cold_ratio = med(handler_cold) / med(bare_cold)
    warm_ratio = med(handler_get) / med(bare_get)
    patch_ratio = med(handler_patch) / med(bare_patch)
    zip_size = len(package)

    def fmt(samples: list[float]) -> str:
        return " ".join(f"{s:.0f}" for s in samples)

    print()
    print(f"cold init samples, ms (import + first GetItem via moto server, n={args.repeats}):")
    print(f"  bare boto3 handler : {fmt(bare_cold)}")
    print(f"  items handler      : {fmt(handler_cold)}")
    print(f"warm samples, us per request (batch means, {args.batches} x {args.calls} calls):")
    print(f"  bare GetItem handler     : {fmt(bare_get)}")
    print(f"  items GET /items/{{id}}    : {fmt(handler_get)}")
    print(f"  bare UpdateItem handler  : {fmt(bare_patch)}")
    print(f"  items PATCH /items/{{id}}  : {fmt(handler_patch)}")
    print(
        "  min-based ratios (least-noise estimate): "
        f"cold {min(handler_cold) / min(bare_cold):.2f}x, "
        f"GET {min(handler_get) / min(bare_get):.2f}x, "
        f"PATCH {min(handler_patch) / min(bare_patch):.2f}x"
    )
    print()
    rows = [
        ("metric", "bare", "items handler", "ratio / size", "target", "result"),
        (
            "cold init (median ms)",
            f"{med(bare_cold):.0f}",
            f"{med(handler_cold):.0f}",
            f"{cold_ratio:.2f}x",
            f"<= {TARGET_COLD}x",
            _label(cold_ratio, TARGET_COLD),
        ),
        (
            "warm GET item (median us)",
            f"{med(bare_get):.0f}",
            f"{med(handler_get):.0f}",
            f"{warm_ratio:.2f}x",
            f"<= {TARGET_WARM}x",
            _label(warm_ratio, TARGET_WARM),
        ),
        (
            "warm PATCH item (median us)",
            f"{med(bare_patch):.0f}",
            f"{med(handler_patch):.0f}",
            f"{patch_ratio:.2f}x",
            "(info)",
            "-",
        ),
        (
            "zip items_api/**/*.py",
            "-",
            f"{zip_size} B",
            f"{zip_size / 1024:.1f} KiB",
            f"<= {TARGET_ZIP // 1024} KiB",
            _label(zip_size, TARGET_ZIP),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))
    print()
    print(f"zip sha256 {hashlib.sha256(package).hexdigest()}")
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
