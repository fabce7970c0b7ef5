"""The committed OpenAPI document is exactly what the resolver generates."""

from __future__ import annotations

import json
from pathlib import Path

import openapi_spec_validator

from items_api import openapi_export

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
REGENERATE = "PYTHONPATH=lambda .venv/bin/python -m items_api.openapi_export"


def test_committed_openapi_is_not_stale() -> None:
    assert COMMITTED.exists(), f"docs/openapi.json missing; run {REGENERATE}"
    assert COMMITTED.read_text(encoding="utf-8") == openapi_export.render(), (
        f"docs/openapi.json is stale; run {REGENERATE}"
    )


def test_document_describes_every_route_and_the_error_envelope() -> None:
    document = json.loads(openapi_export.render())
    assert document["openapi"].startswith("3.")
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("/items", "get"),
        ("/items", "post"),
        ("/items/{id}", "get"),
        ("/items/{id}", "put"),
        ("/items/{id}", "patch"),
        ("/items/{id}", "delete"),
    }
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == error_ref
    post_headers = {p["name"].lower() for p in document["paths"]["/items"]["post"]["parameters"]}
    assert "idempotency-key" in post_headers
    assert document["components"]["securitySchemes"]["apiKey"]["name"] == "x-api-key"


def test_check_mode(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    assert openapi_export.main(["--output", str(target), "--check"]) == 1
    assert openapi_export.main(["--output", str(target)]) == 0
    assert openapi_export.main(["--output", str(target), "--check"]) == 0
    target.write_text("{}", encoding="utf-8")
    assert openapi_export.main(["--output", str(target), "--check"]) == 1


def test_document_is_a_valid_openapi_3_1_document() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert document["openapi"] == "3.1.0"
    openapi_spec_validator.validate(document)  # raises on any schema violation
