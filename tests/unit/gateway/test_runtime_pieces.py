"""Runtime pieces without processes: REPORT lines, stream names, code checks, the environment."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.runtime.environment import EmulatorTarget, lambda_environment
from harness.runtime.function import (
    CodeDirectory,
    CodeMismatchError,
    FunctionSpec,
    code_sha256,
    select_code,
    spec_from_get_function,
)
from harness.runtime.logs import Report, new_log_stream_name


def _zip(path: Path, source: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("app.py", source)
    return path


def _spec(sha: str) -> FunctionSpec:
    return FunctionSpec(
        name="fn",
        arn="arn:aws:lambda:us-east-1:123456789012:function:fn",
        handler="app.handler",
        runtime="python3.12",
        timeout_seconds=3,
        memory_mb=256,
        code_sha256=sha,
        environment={"TABLE": "t", "AWS_REGION": "eu-west-1"},
    )


def test_report_line_on_cold_start() -> None:
    line = Report(
        "r1", duration_ms=12.3456, memory_size_mb=128, max_memory_used_mb=40, init_duration_ms=250.5
    ).line()
    assert line == (
        "REPORT RequestId: r1\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 40 MB\tInit Duration: 250.50 ms\t"
    )


def test_report_line_on_warm_timeout() -> None:
    line = Report(
        "r2", duration_ms=1000.2, memory_size_mb=128, max_memory_used_mb=0, status="timeout"
    ).line()
    assert "Init Duration" not in line
    assert "Billed Duration: 1001 ms" in line
    assert line.endswith("Status: timeout\t")


def test_stream_name_looks_like_aws() -> None:
    name = new_log_stream_name(now=datetime(2026, 12, 3, tzinfo=UTC))
    assert re.fullmatch(r"2026/12/03/\[\$LATEST\][0-9a-f]{32}", name)


def test_select_code_accepts_matching_zip(tmp_path: Path) -> None:
    good = _zip(tmp_path / "good.zip", "def handler(e, c): return 1")
    other = _zip(tmp_path / "other.zip", "def handler(e, c): return 2")
    assert select_code(_spec(code_sha256(good)), [other, good]) == good


def test_select_code_refuses_mismatch_with_both_digests(tmp_path: Path) -> None:
    stale = _zip(tmp_path / "stale.zip", "def handler(e, c): return 1")
    with pytest.raises(CodeMismatchError) as caught:
        select_code(_spec("AAAA"), [stale])
    assert "AAAA" in str(caught.value)
    assert code_sha256(stale) in str(caught.value)


def test_code_directory_unpacks_and_removes(tmp_path: Path) -> None:
    code = CodeDirectory(_zip(tmp_path / "c.zip", "X = 1"))
    assert (code.path / "app.py").read_text() == "X = 1"
    code.remove()
    assert not code.path.exists()


def test_spec_from_get_function_response() -> None:
    spec = spec_from_get_function(
        {
            "Configuration": {
                "FunctionName": "fn",
                "FunctionArn": "arn:fn",
                "Handler": "app.handler",
                "Runtime": "python3.12",
                "Timeout": 7,
                "MemorySize": 512,
                "CodeSha256": "abc",
                "Environment": {"Variables": {"A": "1"}},
            },
            "Concurrency": {"ReservedConcurrentExecutions": 2},
        }
    )
    assert (spec.timeout_seconds, spec.memory_mb, spec.reserved_concurrency) == (7, 512, 2)
    assert spec.environment == {"A": "1"}
    assert spec.log_group_name == "/aws/lambda/fn"


def test_environment_points_at_emulator_and_reserved_names_win() -> None:
    env = lambda_environment(
        _spec("x"),
        EmulatorTarget("http://127.0.0.1:9", "us-east-1"),
        "/task",
        "2026/12/03/[$LATEST]ab",
    )
    assert env["TABLE"] == "t"
    assert env["AWS_REGION"] == "us-east-1"  # reserved: the runtime sets it, not the function
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:9"
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert env["_HANDLER"] == "app.handler"
    assert env["LAMBDA_TASK_ROOT"] == "/task"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/fn"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
