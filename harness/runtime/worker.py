"""One Lambda execution environment: the child side of the runtime's pipe protocol.

Run as a script (``python -I -u worker.py REQUEST_FD RESPONSE_FD``), never imported, so it uses
the standard library only and nothing of ours shadows a module in the function's code. The
handler's stdout and stderr are inherited pipes that the parent turns into log events.

Protocol: one JSON object per line. The worker sends ``ready`` (or ``init_error``) once after
importing the handler, then answers each ``invoke`` with one ``result``. After each invocation
it prints ``OUTPUT_SENTINEL + request_id`` so the parent knows the function's output for that
request has been read in full before it writes END and REPORT.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import resource
import sys
import time
import traceback
from typing import Any, BinaryIO

OUTPUT_SENTINEL = "\x1esda-runtime-end "


class LambdaContext:
    """The attributes and method of the context object AWS passes to a Python handler."""

    def __init__(self, request_id: str, deadline_epoch_ms: int, invoked_function_arn: str) -> None:
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_epoch_ms = deadline_epoch_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_epoch_ms - int(time.time() * 1000))


class _RequestIdFilter(logging.Filter):
    """Stamps each record with the current request id, as the managed runtime's handler does."""

    request_id = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = self.request_id
        return True


def _install_lambda_log_handler() -> _RequestIdFilter:
    """The root-logger handler the Python managed runtime installs before importing the handler."""
    request_ids = _RequestIdFilter()
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S",
    )
    formatter.converter = time.gmtime  # Lambda stamps its log lines in UTC
    handler.setFormatter(formatter)
    handler.addFilter(request_ids)
    logging.getLogger().addHandler(handler)
    return request_ids


def _send(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message).encode() + b"\n")
    stream.flush()


def _load_handler(handler: str) -> Any:
    module_name, _, function_name = handler.rpartition(".")
    if not module_name:
        raise ValueError(f"Bad handler '{handler}': not enough values to unpack")
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, function_name)


def _error_payload(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def _max_memory_used_mb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def _invoke(handler: Any, message: dict[str, Any], request_ids: _RequestIdFilter) -> dict[str, Any]:
    request_id = str(message["request_id"])
    request_ids.request_id = request_id
    os.environ["_X_AMZN_TRACE_ID"] = str(message["trace_id"])
    context = LambdaContext(request_id, int(message["deadline_epoch_ms"]), str(message["arn"]))
    outcome: dict[str, Any]
    try:
        result = handler(message["event"], context)
        try:
            outcome = {"type": "result", "payload": json.dumps(result)}
        except (TypeError, ValueError) as exc:
            error = _error_payload(exc, "Runtime.MarshalError")
            error["errorMessage"] = f"Unable to marshal response: {exc}"
            print(f"[ERROR] Runtime.MarshalError: {error['errorMessage']}", file=sys.stderr)
            outcome = {"type": "result", "error": error}
    except Exception as exc:
        error = _error_payload(exc)
        error["requestId"] = request_id
        # The managed Python runtime prints unhandled errors this way before answering.
        print(f"[ERROR] {error['errorType']}: {error['errorMessage']}", file=sys.stderr)
        traceback.print_exc()
        outcome = {"type": "result", "error": error}
    outcome["max_memory_used_mb"] = _max_memory_used_mb()
    sys.stdout.flush()
    sys.stderr.flush()
    print(OUTPUT_SENTINEL + request_id, flush=True)
    return outcome


def main() -> None:
    request_fd, response_fd = int(sys.argv[1]), int(sys.argv[2])
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    # The script's own directory must not shadow the function's modules: the task root comes first.
    sys.path[0] = task_root
    requests_in = os.fdopen(request_fd, "rb")
    responses_out = os.fdopen(response_fd, "wb")
    request_ids = _install_lambda_log_handler()
    try:
        handler = _load_handler(os.environ["_HANDLER"])
    except Exception as exc:
        error_type = (
            "Runtime.ImportModuleError"
            if isinstance(exc, ImportError)
            else "Runtime.HandlerNotFound"
        )
        print(f"[ERROR] {error_type}: {exc}", file=sys.stderr, flush=True)
        _send(responses_out, {"type": "init_error", "error": _error_payload(exc, error_type)})
        return
    _send(responses_out, {"type": "ready"})
    for line in requests_in:
        _send(responses_out, _invoke(handler, json.loads(line), request_ids))


if __name__ == "__main__":
    main()
