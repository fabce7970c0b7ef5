"""The offline toolchain end to end, with both CLIs: init from the mirror with every network
route closed, apply to the emulator, no perpetual diff, destroy leaves nothing."""

from __future__ import annotations

import dataclasses
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stack import Stack
from harness.target import Target
from harness.toolchain import Toolchain, cli

SMOKE_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "smoke_root"
# A proxy nobody listens on: any attempt to reach a registry fails instead of succeeding.
DEAD_PROXY = "http://127.0.0.1:9"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=["terraform-or-path-cli", "opentofu"])
def chain(request: pytest.FixtureRequest, toolchain: Toolchain) -> Toolchain:
    if request.param == "opentofu":
        return dataclasses.replace(toolchain, cli=cli.build_opentofu())
    return toolchain


@pytest.fixture
def smoke_stack(chain: Toolchain, target: Target) -> Iterator[Stack]:
    name = f"sda-smoke-{secrets.token_hex(3)}"
    stack = Stack(
        name=name, target=target, toolchain=chain, variables={"name": name}, source_dir=SMOKE_ROOT
    )
    offline = {"HTTPS_PROXY": DEAD_PROXY, "HTTP_PROXY": DEAD_PROXY, "NO_PROXY": "127.0.0.1"}
    stack._tf.env.update(offline)
    yield stack
    stack.remove_workdir()


def test_cli_reports_its_version(chain: Toolchain) -> None:
    result = subprocess.run(
        [str(chain.cli.path), "version"],
        capture_output=True,
        text=True,
        check=True,
        env={**chain.env()},
    )
    expected = "OpenTofu" if chain.cli.kind == "opentofu" else "Terraform"
    assert result.stdout.startswith(f"{expected} v{chain.cli.version_text}")


def test_smoke_root_applies_offline_without_drift_and_destroys_cleanly(
    smoke_stack: Stack, target: Target, chain: Toolchain
) -> None:
    dynamodb = target.client("dynamodb")
    smoke_stack.init()
    lock = (smoke_stack.dir / ".terraform.lock.hcl").read_text()
    assert f'provider "{chain.cli.registry_host}/hashicorp/aws"' in lock

    smoke_stack.apply()
    assert smoke_stack.name in dynamodb.list_tables()["TableNames"]
    backups = dynamodb.describe_continuous_backups(TableName=smoke_stack.name)
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"

    exit_code, output = smoke_stack.plan_exit_code()
    assert exit_code == 0, f"second plan wants changes:\n{output}"

    smoke_stack.destroy()
    assert smoke_stack.name not in dynamodb.list_tables()["TableNames"]
