"""Export the OpenAPI document the resolver generates: ``python -m items_api.openapi_export``.

Writes ``docs/openapi.json`` (OpenAPI 3.1, as Powertools emits it). ``--check`` exits 1 when
the committed file differs from what the code generates. Run with ``lambda`` on ``sys.path``
(e.g. ``PYTHONPATH=lambda``). Not used at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
API_VERSION = "1.0.0"
DESCRIPTION = (
    "Multi-tenant items API (API Gateway REST -> Lambda -> DynamoDB). Every request needs an "
    "API key (x-api-key); the key is the tenant. Every non-2xx response has the body "
    '{"error": {"code", "message", "details", "request_id"}}.'
)


def build_document() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.models import (
        APIKey,
    )

    from items_api.routes import app

    text = app.get_openapi_json_schema(
        title="Items API",
        version=API_VERSION,
        description=DESCRIPTION,
        security_schemes={
            "apiKey": APIKey.model_validate({"type": "apiKey", "name": "x-api-key", "in": "header"})
        },
        security=[{"apiKey": []}],
    )
    document: dict[str, Any] = json.loads(text)
    _prune_unreferenced_schemas(document)
    return document


def _prune_unreferenced_schemas(document: dict[str, Any]) -> None:
    """Drop component schemas nothing points at (Powertools' default 422 models)."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in document.items() if k != "components"})
        text += json.dumps(schemas)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def render() -> str:
    return json.dumps(build_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    rendered = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != rendered:
            print(
                f"{args.output} is stale; run python -m items_api.openapi_export", file=sys.stderr
            )
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(rendered, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
