"""A Lambda runtime without Docker: the deployed zip, run in reusable worker processes."""

from harness.runtime.environment import EmulatorTarget
from harness.runtime.function import (
    CodeDirectory,
    CodeMismatchError,
    FunctionSpec,
    code_sha256,
    load_function_spec,
    select_code,
)
from harness.runtime.logs import CloudWatchLogSink
from harness.runtime.pool import FunctionPool, Invocation, InvocationStatus

__all__ = [
    "CloudWatchLogSink",
    "CodeDirectory",
    "CodeMismatchError",
    "EmulatorTarget",
    "FunctionPool",
    "FunctionSpec",
    "Invocation",
    "InvocationStatus",
    "code_sha256",
    "load_function_spec",
    "select_code",
]
