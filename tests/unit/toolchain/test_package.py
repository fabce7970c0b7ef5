"""The Lambda zip is reproducible: same source, same bytes; and it holds only our code."""

from __future__ import annotations

import zipfile
from pathlib import Path

from harness import package


def _source(root: Path) -> Path:
    pkg = root / "src" / "items_api"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "app.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0junk")
    (pkg / "notes.txt").write_text("not code")
    return root / "src"


def test_same_source_gives_identical_bytes(tmp_path: Path) -> None:
    src = _source(tmp_path)
    first = package.build(tmp_path / "a.zip", src).read_bytes()
    (src / "items_api" / "app.py").touch()  # a newer mtime must not change the bytes
    second = package.build(tmp_path / "b.zip", src).read_bytes()
    assert first == second


def test_zip_holds_only_python_sources(tmp_path: Path) -> None:
    built = package.build(tmp_path / "out.zip", _source(tmp_path))
    with zipfile.ZipFile(built) as archive:
        assert archive.namelist() == ["items_api/__init__.py", "items_api/app.py"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_code_sha256_matches_aws_format(tmp_path: Path) -> None:
    built = package.build(tmp_path / "out.zip", _source(tmp_path))
    digest = package.sha256_base64(built)
    assert len(digest) == 44
    assert digest.endswith("=")
