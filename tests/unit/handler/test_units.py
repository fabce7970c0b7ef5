"""Layer-level unit tests: ULIDs, config, models, If-Match parsing, tracer selection."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from items_api import observability, routes, storage, ulid
from items_api.config import (
    DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    DEFAULT_METRICS_NAMESPACE,
    DEFAULT_SERVICE_NAME,
    ConfigError,
    load_observability_settings,
    load_settings,
)
from items_api.models import ATTRIBUTES_MAX_BYTES, ItemPatch, ItemWrite, attributes_size

REPO = Path(__file__).resolve().parents[3]

# -- ULID ---------------------------------------------------------------------------------------


def test_ulid_known_vector() -> None:
    # Spec example: timestamp 1469918176385 -> "01ARYZ6S41"; all-zero / all-one randomness.
    assert ulid.encode(1469918176385, 0) == "01ARYZ6S41" + "0" * 16
    assert ulid.encode(1469918176385, (1 << 80) - 1) == "01ARYZ6S41" + "Z" * 16
    assert ulid.decode_timestamp("01ARYZ6S41" + "0" * 16) == 1469918176385


def test_ulid_is_monotonic_within_a_millisecond() -> None:
    generator = ulid.ULIDGenerator()
    ids = [generator.new(timestamp_ms=1_700_000_000_000) for _ in range(100)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 100
    assert all(ulid.is_ulid(value) for value in ids)
    assert {ulid.decode_timestamp(value) for value in ids} == {1_700_000_000_000}


def test_ulid_orders_by_time_and_survives_clock_going_back() -> None:
    generator = ulid.ULIDGenerator()
    first = generator.new(timestamp_ms=2_000)
    later = generator.new(timestamp_ms=3_000)
    back_in_time = generator.new(timestamp_ms=1_000)
    assert first < later < back_in_time


def test_ulid_is_unique_across_threads() -> None:
    seen: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        values = [ulid.new_ulid() for _ in range(200)]
        with lock:
            seen.extend(values)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 800


def test_ulid_overflow_and_range_errors() -> None:
    generator = ulid.ULIDGenerator()
    generator._last_ms = 5
    generator._last_random = (1 << 80) - 1
    with pytest.raises(ulid.ULIDOverflowError):
        generator.new(timestamp_ms=5)
    with pytest.raises(ValueError, match="timestamp"):
        ulid.encode(1 << 48, 0)
    with pytest.raises(ValueError, match="randomness"):
        ulid.encode(0, 1 << 80)
    with pytest.raises(ValueError, match="canonical"):
        ulid.decode_timestamp("not-a-ulid")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("01ARZ3NDEKTSV4RRFFQ69G5FAV", True),
        ("01arz3ndektsv4rrffq69g5fav", False),  # canonical form is upper case
        ("81ARZ3NDEKTSV4RRFFQ69G5FAV", False),  # > 48-bit timestamp
        ("01ARZ3NDEKTSV4RRFFQ69G5FA", False),
        ("01ARZ3NDEKTSV4RRFFQ69G5FAI", False),  # I is not in the alphabet
    ],
)
def test_is_ulid(value: str, valid: bool) -> None:
    assert ulid.is_ulid(value) is valid


# -- config -------------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    settings = load_settings({"TABLE_NAME": "t"})
    assert settings.table_name == "t"
    assert settings.idempotency_ttl_seconds == DEFAULT_IDEMPOTENCY_TTL_SECONDS == 3600
    assert settings.cursor_signing_key
    observability_settings = load_observability_settings({})
    assert observability_settings.service_name == DEFAULT_SERVICE_NAME == "items-api"
    assert observability_settings.metrics_namespace == DEFAULT_METRICS_NAMESPACE
    assert DEFAULT_METRICS_NAMESPACE == "ServerlessDataApi"
    assert observability_settings.tracing_enabled is False


def test_settings_from_environment() -> None:
    env = {
        "TABLE_NAME": " items ",
        "POWERTOOLS_SERVICE_NAME": "svc",
        "POWERTOOLS_METRICS_NAMESPACE": "Ns",
        "IDEMPOTENCY_TTL_SECONDS": "60",
        "CURSOR_SIGNING_KEY": "s3cret",
    }
    settings = load_settings(env)
    assert settings.table_name == "items"
    assert settings.idempotency_ttl_seconds == 60
    assert settings.cursor_signing_key == b"s3cret"
    observability_settings = load_observability_settings(env)
    assert observability_settings.service_name == "svc"
    assert observability_settings.metrics_namespace == "Ns"


@pytest.mark.parametrize("env", [{}, {"TABLE_NAME": ""}, {"TABLE_NAME": "   "}])
def test_missing_table_name_is_a_clear_error(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="TABLE_NAME environment variable is required"):
        load_settings(env)


@pytest.mark.parametrize("ttl", ["0", "-5", "soon"])
def test_bad_idempotency_ttl_is_a_clear_error(ttl: str) -> None:
    with pytest.raises(ConfigError, match="IDEMPOTENCY_TTL_SECONDS"):
        load_settings({"TABLE_NAME": "t", "IDEMPOTENCY_TTL_SECONDS": ttl})


def test_cold_start_fails_fast_without_table_name() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TABLE_NAME"}
    env["PYTHONPATH"] = str(REPO / "lambda")
    result = subprocess.run(
        [sys.executable, "-c", "import items_api.app"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ConfigError: TABLE_NAME environment variable is required" in result.stderr


# -- models -------------------------------------------------------------------------------------


def test_attributes_cap_is_on_serialized_utf8_size() -> None:
    fits = {"k": "x" * (ATTRIBUTES_MAX_BYTES - len('{"k":""}'))}
    assert attributes_size(fits) == ATTRIBUTES_MAX_BYTES
    assert ItemWrite(name="a", attributes=fits).attributes == fits
    too_big = {"k": "é" * (ATTRIBUTES_MAX_BYTES // 2)}  # 2 bytes per char in UTF-8
    with pytest.raises(ValidationError, match="16384 bytes"):
        ItemWrite(name="a", attributes=too_big)
    with pytest.raises(ValidationError, match="16384 bytes"):
        ItemPatch(attributes=too_big)


def test_patch_rules() -> None:
    assert ItemPatch(description=None).model_fields_set == {"description"}
    assert ItemPatch(attributes={}).attributes == {}
    with pytest.raises(ValidationError, match="at least one"):
        ItemPatch()
    with pytest.raises(ValidationError, match="name cannot be null"):
        ItemPatch(name=None)
    with pytest.raises(ValidationError, match="attributes cannot be null"):
        ItemPatch(attributes=None)


# -- routing helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "versions"),
    [
        (None, "none"),
        ("*", None),
        (' "3" ', (3,)),
        ('"1", "2",W/"9"', (1, 2)),
        ('W/"4"', ()),
    ],
)
def test_parse_if_match(header: str | None, versions: object) -> None:
    parsed = routes.parse_if_match(header)
    if versions == "none":
        assert parsed is None
    else:
        assert parsed is not None
        assert parsed.versions == versions


def test_route_template() -> None:
    assert routes.route_template("/items") == "/items"
    assert routes.route_template("/items/") == "/items"
    assert routes.route_template("/items/abc") == "/items/{id}"
    assert routes.route_template("/items/abc/def") is None
    assert routes.route_template("/other") is None


def test_required_actions_constant_matches_the_iam_contract() -> None:
    assert storage.REQUIRED_DYNAMODB_ACTIONS == (
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
    )


# -- observability ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, False),  # outside Lambda
        ({"AWS_LAMBDA_FUNCTION_NAME": "f"}, True),
        ({"AWS_LAMBDA_FUNCTION_NAME": "f", "POWERTOOLS_TRACE_DISABLED": "true"}, False),
        ({"AWS_LAMBDA_FUNCTION_NAME": "f", "POWERTOOLS_TRACE_DISABLED": "1"}, False),
        ({"AWS_LAMBDA_FUNCTION_NAME": "f", "POWERTOOLS_TRACE_DISABLED": "false"}, True),
    ],
)
def test_tracing_enabled(env: dict[str, str], enabled: bool) -> None:
    assert load_observability_settings(env).tracing_enabled is enabled


def test_noop_tracer_is_transparent() -> None:
    tracer = observability.build_tracer(load_observability_settings({}))
    assert isinstance(tracer, observability.NoopTracer)

    def handler(x: int) -> int:
        return x + 1

    assert tracer.capture_lambda_handler(handler) is handler
    assert tracer.capture_method(handler) is handler
    tracer.put_annotation("k", "v")


def test_powertools_tracer_in_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside Lambda the real Tracer is built (faked here: it would patch botocore globally)."""
    import aws_lambda_powertools

    built: list[str] = []

    class FakeTracer:
        def __init__(self, service: str) -> None:
            built.append(service)

    monkeypatch.setattr(aws_lambda_powertools, "Tracer", FakeTracer)
    settings = load_observability_settings(
        {"AWS_LAMBDA_FUNCTION_NAME": "f", "POWERTOOLS_SERVICE_NAME": "svc"}
    )
    assert isinstance(observability.build_tracer(settings), FakeTracer)
    assert built == ["svc"]
