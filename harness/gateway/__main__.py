"""Serve a deployed stage for people.

``python -m harness.gateway --endpoint URL --rest-api-id ID --stage v1 --zip build/lambda.zip``
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from types import FrameType

from harness.gateway.serve import DEFAULT_RELOAD_SECONDS, serve


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m harness.gateway", description=__doc__)
    parser.add_argument(
        "--endpoint", required=True, help="the emulator, e.g. http://127.0.0.1:5000"
    )
    parser.add_argument("--rest-api-id", required=True)
    parser.add_argument("--stage", required=True)
    parser.add_argument(
        "--zip", type=Path, action="append", required=True, help="deployed zip (repeatable)"
    )
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--reload-seconds", type=float, default=DEFAULT_RELOAD_SECONDS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with serve(
        endpoint=args.endpoint,
        rest_api_id=args.rest_api_id,
        stage=args.stage,
        zip_path=args.zip,
        region=args.region,
        port=args.port,
        reload_seconds=args.reload_seconds,
    ) as running:
        print(running.base_url, flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
