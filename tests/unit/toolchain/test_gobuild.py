"""The Go builder's failure modes each end in one actionable line, and the cache is keyed."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from harness.toolchain import gobuild
from harness.toolchain.errors import ToolchainError


@pytest.fixture
def wrapper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> gobuild.GoTool:
    tools = tmp_path / "tools"
    (tools / "hello").mkdir(parents=True)
    (tools / "hello" / "go.mod").write_text("module example.com/hello\n\ngo 1.22\n")
    (tools / "hello" / "go.sum").write_text("")
    (tools / "hello" / "main.go").write_text(
        'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from go") }\n'
    )
    monkeypatch.setattr(gobuild, "TOOLS_DIR", tools)
    monkeypatch.setenv("SDA_CACHE_DIR", str(tmp_path / "cache"))
    return gobuild.GoTool(wrapper="hello", package=".", binary="hello")


def _fake_go(directory: Path, version: str) -> None:
    script = directory / "go"
    script.write_text(f"#!/bin/sh\necho go{version}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_missing_go_is_one_actionable_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolchainError, match=r"Go is not installed: install Go >= 1\.26"):
        gobuild.go_version()


def test_too_old_go_names_the_required_version(
    wrapper: gobuild.GoTool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_bin = tmp_path / "fakebin"
    fake_bin.mkdir()
    _fake_go(fake_bin, "1.20.1")
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(ToolchainError, match=r"Go 1\.20\.1 is too old .* needs Go >= 1\.22\.0"):
        gobuild.build(wrapper)


def test_build_caches_and_second_call_builds_nothing(wrapper: gobuild.GoTool) -> None:
    first = gobuild.build(wrapper)
    assert first.exists()
    stamp = first.stat().st_mtime_ns
    second = gobuild.build(wrapper)
    assert second == first
    assert second.stat().st_mtime_ns == stamp  # untouched: nothing rebuilt


def test_cache_key_changes_with_go_sum(wrapper: gobuild.GoTool) -> None:
    version = gobuild.go_version()
    before = gobuild.cache_key(wrapper, version)
    (wrapper.wrapper_dir / "go.sum").write_text("example.com/x v1.0.0 h1:abc=\n")
    assert gobuild.cache_key(wrapper, version) != before


def test_compile_error_points_at_the_log(wrapper: gobuild.GoTool) -> None:
    (wrapper.wrapper_dir / "main.go").write_text("package main\n\nfunc main() { nope() }\n")
    with pytest.raises(ToolchainError, match=r"building hello failed \(log: .*build-hello\.log\)"):
        gobuild.build(wrapper)
    assert not gobuild.built_path(wrapper).exists()


def test_refused_module_is_reported_as_such(wrapper: gobuild.GoTool) -> None:
    log = (
        "go: example.com/x@v9.9.9: reading https://proxy.golang.org/x/@v/v9.9.9.info: 403 Forbidden"
    )
    error = gobuild._classify_failure(wrapper, log, Path("build.log"))
    assert "the Go module proxy refused a module for hello" in str(error)
    assert "403 Forbidden" in str(error)


def test_full_disk_is_reported_as_such(wrapper: gobuild.GoTool) -> None:
    error = gobuild._classify_failure(
        wrapper, "write /tmp/go-build/x: no space left on device", Path("b.log")
    )
    assert "ran out of disk space" in str(error)


def test_low_free_space_is_refused_before_building(
    wrapper: gobuild.GoTool, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = shutil.disk_usage("/")
    monkeypatch.setattr(gobuild.shutil, "disk_usage", lambda _path: usage._replace(free=1024**3))
    with pytest.raises(ToolchainError, match=r"only 1\.0 GiB free .* needs 6 GiB"):
        gobuild.build(wrapper)
