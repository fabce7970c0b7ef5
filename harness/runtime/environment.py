"""The environment variables of a Lambda execution environment aimed at the emulator."""

from __future__ import annotations

import os
from dataclasses import dataclass

from harness.runtime.function import FunctionSpec

FAKE_CREDENTIAL = "testing"


@dataclass(frozen=True)
class EmulatorTarget:
    """Where the function's AWS SDK calls go: the emulator, with fake credentials."""

    endpoint: str
    region: str


def lambda_environment(
    spec: FunctionSpec, target: EmulatorTarget, task_root: str, log_stream_name: str
) -> dict[str, str]:
    """The function's own variables, then the runtime's (which AWS reserves and sets itself)."""
    env: dict[str, str] = dict(spec.environment)
    env.update(
        {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": task_root,
            "LAMBDA_RUNTIME_DIR": task_root,
            "_HANDLER": spec.handler,
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group_name,
            "AWS_LAMBDA_LOG_STREAM_NAME": log_stream_name,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_REGION": target.region,
            "AWS_DEFAULT_REGION": target.region,
            "AWS_ENDPOINT_URL": target.endpoint,
            "AWS_ACCESS_KEY_ID": FAKE_CREDENTIAL,
            "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIAL,
            "AWS_SESSION_TOKEN": FAKE_CREDENTIAL,
        }
    )
    return env
