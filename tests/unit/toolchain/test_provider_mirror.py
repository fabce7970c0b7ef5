"""The provider is found in local mirrors, linked for both registry hosts, and the CLI config
never lets `hashicorp/aws` reach a registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import toolchain
from harness.toolchain import provider
from harness.toolchain.errors import ToolchainError


def _fake_provider(root: Path, version: str, host: str = "registry.terraform.io") -> Path:
    directory = root / host / "hashicorp" / "aws" / version / provider.os_arch()
    directory.mkdir(parents=True)
    binary = directory / f"terraform-provider-aws_v{version}_x5"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    return binary


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(provider, "SYSTEM_MIRRORS", (tmp_path / "system",))
    monkeypatch.delenv("SDA_PROVIDER_MIRRORS", raising=False)
    return tmp_path


def test_newest_acceptable_version_wins_and_too_new_or_old_are_ignored(isolated: Path) -> None:
    mirror = isolated / "system"
    _fake_provider(mirror, "5.99.0")
    wanted = _fake_provider(mirror, "6.20.0")
    _fake_provider(mirror, "7.0.0")
    assert provider.search_mirrors() == wanted.resolve()


def test_env_mirrors_are_searched_first(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_provider(isolated / "system", "6.20.0")
    preferred = _fake_provider(isolated / "mine", "5.100.0")
    monkeypatch.setenv("SDA_PROVIDER_MIRRORS", str(isolated / "mine"))
    assert provider.search_mirrors() == preferred.resolve()


def test_cache_mirror_links_both_registry_hosts(isolated: Path) -> None:
    binary = _fake_provider(isolated / "system", "5.100.0")
    found = provider.ensure_provider()
    assert found.version == "5.100.0"
    for host in provider.REGISTRY_HOSTS:
        link = found.mirror / host / "hashicorp/aws/5.100.0" / provider.os_arch()
        assert (link / "terraform-provider-aws_v5.100.0_x5").resolve() == binary.resolve()


def test_no_provider_anywhere_is_one_actionable_line(isolated: Path) -> None:
    with pytest.raises(
        ToolchainError, match=r"no hashicorp/aws provider >= 5\.100.*SDA_PROVIDER_MIRRORS"
    ):
        provider.ensure_provider()


def test_cli_config_reads_aws_only_from_the_mirror(isolated: Path) -> None:
    _fake_provider(isolated / "system", "5.100.0")
    config = toolchain.write_cli_config(provider.ensure_provider()).read_text()
    assert f'path    = "{isolated / "cache" / "provider-mirror"}"' in config
    include = '"registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"'
    assert f"include = [{include}]" in config
    assert f"exclude = [{include}]" in config  # the direct installer may never fetch aws
