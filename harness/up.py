"""`up`: toolchain -> emulator -> package -> apply -> gateway -> smoke check -> wait -> teardown.

Every phase is undone in reverse order on the way out, whether the way out is Ctrl-C, an
error or the normal end, so nothing keeps running and nothing is left behind.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import signal
import threading
from contextlib import ExitStack
from types import FrameType
from typing import Any

import requests

from harness import audit, package, toolchain
from harness.emulator import running
from harness.endpoint import api_base_url
from harness.progress import phase, say
from harness.stack import Stack, deployed, quiet_tftest_logging
from harness.target import Target

PREFIX = "up"


class SmokeCheckError(RuntimeError):
    """The freshly deployed API did not answer a create/read/delete round trip correctly."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target", choices=("emulator", "aws"), default="emulator", help="where to deploy"
    )
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument(
        "--name",
        default=None,
        help="stack name prefix (default: sda-local on the emulator, sda-<random> on AWS)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="do not destroy the stack on exit (AWS only)"
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="tear down right after the smoke check instead of waiting for Ctrl-C",
    )
    parser.add_argument("--dashboard", action="store_true", help="also create the dashboard")


def smoke_check(base_url: str, api_key: str) -> None:
    """Create, read and delete one item through the public URL, as a client would."""
    headers = {"x-api-key": api_key, "content-type": "application/json"}
    created = requests.post(
        f"{base_url}/items", json={"name": "smoke-check"}, headers=headers, timeout=30
    )
    if created.status_code != 201:
        raise SmokeCheckError(f"POST /items answered {created.status_code}: {created.text[:300]}")
    item: dict[str, Any] = created.json()
    fetched = requests.get(f"{base_url}/items/{item['id']}", headers=headers, timeout=30)
    if fetched.status_code != 200 or fetched.json().get("name") != "smoke-check":
        raise SmokeCheckError(f"GET answered {fetched.status_code}: {fetched.text[:300]}")
    etag = fetched.headers.get("ETag", "")
    deleted = requests.delete(
        f"{base_url}/items/{item['id']}", headers={**headers, "If-Match": etag}, timeout=30
    )
    if deleted.status_code != 204:
        raise SmokeCheckError(f"DELETE answered {deleted.status_code}: {deleted.text[:300]}")
    refused = requests.get(f"{base_url}/items", timeout=30)
    if refused.status_code != 403:
        raise SmokeCheckError(f"a request without an API key answered {refused.status_code}")


def _banner(base_url: str, api_key: str, target: Target) -> None:
    curl = (
        f"curl -s -X POST {shlex.quote(base_url + '/items')} "
        f"-H {shlex.quote('x-api-key: ' + api_key)} "
        "-H 'content-type: application/json' -d '{\"name\": \"hello\"}'"
    )
    lines = [
        "",
        f"  serverless-data-api is up on {target.kind} ({target.region})",
        f"  base URL : {base_url}",
        f"  API key  : {api_key}",
        f"  try      : {curl}",
        "  stop     : Ctrl-C (destroys the stack and audits for leftovers)",
        "",
    ]
    print("\n".join(lines), flush=True)


def _wait_for_interrupt() -> None:
    forever = threading.Event()
    try:
        while not forever.wait(3600):
            pass
    except KeyboardInterrupt:
        say(PREFIX, "interrupted: tearing down")


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_up(args: argparse.Namespace) -> int:
    # Ctrl-C, `kill` and a CI timeout all unwind the same way: every phase is undone in order.
    # (Setting SIGINT explicitly also covers a shell that started us with SIGINT ignored.)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    quiet_tftest_logging()
    chain = toolchain.ensure()
    with ExitStack() as cleanup:
        if args.target == "emulator":
            emulator = cleanup.enter_context(running())
            target = Target.for_emulator(emulator)
            name = args.name or "sda-local"
        else:
            target = Target.for_aws(args.region)
            name = args.name or f"sda-{secrets.token_hex(3)}"
        with phase(PREFIX, "packaging the Lambda function"):
            zip_path = package.build()
        stack = Stack.of_product(
            name,
            target,
            chain,
            lambda_package_path=str(zip_path),
            enable_dashboard=bool(args.dashboard),
            tracing_enabled=target.kind == "aws",
        )
        keep = bool(args.keep) and target.kind == "aws"
        cleanup.callback(_audit_after_destroy, target, name, keep)
        deployed_stack = cleanup.enter_context(deployed(stack, keep=keep))
        outputs = deployed_stack.outputs()
        api_key = next(iter(outputs["api_keys"].values()))
        base_url = cleanup.enter_context(api_base_url(target, outputs, zip_path))
        with phase(PREFIX, "smoke check: create, read, delete one item"):
            smoke_check(base_url, api_key)
        _banner(base_url, api_key, target)
        if not args.no_wait:
            _wait_for_interrupt()
    return 0


def _audit_after_destroy(target: Target, name: str, kept: bool) -> None:
    if kept:
        return
    with phase(PREFIX, f"orphan audit for stack {name}"):
        leftovers = audit.find_leftovers(target, name)
    if leftovers:
        raise SystemExit("leftovers after destroy:\n  " + "\n  ".join(leftovers))
    say(PREFIX, "orphan audit: nothing left behind")
