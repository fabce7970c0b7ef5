"""The cost report on synthetic plans: exact figures from the committed price table."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from harness import cost, pricing
from harness.pricing import cli
from tests.unit.cost.plans import alarm, plan, resource, serverless_core

TABLE = pricing.load()


def test_price_table_entries_are_dated_sourced_and_positive() -> None:
    raw = json.loads(pricing.DEFAULT_TABLE.read_text())
    assert raw["as_of"] == TABLE.as_of
    for key, price in TABLE.prices.items():
        assert price.price > 0, key
        assert price.source.startswith("https://aws.amazon.com/"), key
        assert price.unit, key


def test_serverless_core_costs_nothing_idle() -> None:
    report = cost.build_report(plan(*serverless_core()), table=TABLE)

    assert report.idle_total == Decimal(0)
    assert {line.label for line in report.idle} == {r["address"] for r in serverless_core()}
    assert all(line.basis for line in report.idle)


def test_dashboard_adds_exactly_its_list_price() -> None:
    base = cost.build_report(plan(*serverless_core()), table=TABLE)
    dashboard = resource(
        "module.monitoring.aws_cloudwatch_dashboard.this[0]", "aws_cloudwatch_dashboard"
    )
    with_dashboard = cost.build_report(plan(*serverless_core(), dashboard), table=TABLE)

    assert with_dashboard.idle_total - base.idle_total == Decimal("3.00")


def test_alarms_within_the_free_tier_cost_nothing_and_beyond_it_ten_cents_each() -> None:
    six = [alarm(f"a{index}") for index in range(6)]
    twelve = [alarm(f"a{index}") for index in range(12)]

    assert cost.build_report(plan(*six), table=TABLE).idle_total == Decimal(0)
    assert cost.build_report(plan(*twelve), table=TABLE).idle_total == Decimal("0.20")
    at_list_price = cost.Assumptions(free_tier="none")
    assert cost.build_report(plan(*six), at_list_price, TABLE).idle_total == Decimal("0.60")


def test_metric_math_and_high_resolution_alarms_are_billed_per_metric() -> None:
    math_alarm = alarm(
        "error_rate",
        metric_query=[
            {"id": "errors", "metric": [{"metric_name": "Errors", "period": 60}]},
            {"id": "invocations", "metric": [{"metric_name": "Invocations", "period": 60}]},
            {"id": "rate", "expression": "errors / invocations", "metric": []},
        ],
    )
    fast = alarm("fast", period=10)
    report = cost.build_report(plan(math_alarm, fast), cost.Assumptions(free_tier="none"), TABLE)

    assert [line.monthly for line in report.idle] == [Decimal("0.20"), Decimal("0.30")]


def test_kms_key_composite_alarm_and_stage_cache_have_fixed_prices() -> None:
    fixed = plan(
        resource("aws_kms_key.table", "aws_kms_key"),
        resource("aws_cloudwatch_composite_alarm.any", "aws_cloudwatch_composite_alarm"),
        resource(
            "aws_api_gateway_stage.cached",
            "aws_api_gateway_stage",
            cache_cluster_enabled=True,
            cache_cluster_size="0.5",
        ),
    )
    report = cost.build_report(fixed, table=TABLE)

    # $1 key + $0.50 composite alarm + 730 h x $0.02 cache
    assert report.idle_total == Decimal("1.00") + Decimal("0.50") + Decimal("14.60")


def test_provisioned_table_is_billed_per_capacity_hour() -> None:
    table = resource(
        "aws_dynamodb_table.t",
        "aws_dynamodb_table",
        billing_mode="PROVISIONED",
        read_capacity=5,
        write_capacity=5,
    )
    report = cost.build_report(plan(table), table=TABLE)

    assert report.idle_total == Decimal(730) * (5 * Decimal("0.00013") + 5 * Decimal("0.00065"))


def test_an_unknown_resource_type_fails_instead_of_counting_as_free() -> None:
    mystery = resource("aws_nat_gateway.this", "aws_nat_gateway")

    with pytest.raises(cost.UnpricedResourceError, match=r"aws_nat_gateway\.this"):
        cost.build_report(plan(*serverless_core(), mystery), table=TABLE)


def test_resources_in_nested_modules_are_all_counted() -> None:
    dashboard = resource("module.m0.aws_cloudwatch_dashboard.this", "aws_cloudwatch_dashboard")
    report = cost.build_report(plan(children=[[dashboard]]), table=TABLE)

    assert [line.label for line in report.idle] == [dashboard["address"]]


def test_marginal_cost_per_million_requests_for_256_mb_arm64_at_20_ms() -> None:
    assumptions = cost.Assumptions(
        duration_ms=Decimal(20),
        log_bytes_per_request=0,
        mix={"get": 1, "create": 1},
    )
    report = cost.build_report(plan(*serverless_core()), assumptions, TABLE)
    lines = {line.label: line.monthly for line in report.marginal}

    assert lines["API Gateway REST requests"] == Decimal("3.50")
    assert lines["Lambda requests"] == Decimal("0.20")
    # 0.25 GB x 0.020 s x 1,000,000 = 5,000 GB-s at $0.0000133334
    assert lines["Lambda duration (arm64)"] == Decimal(5000) * Decimal("0.0000133334")
    # half the requests write 1 WRU, half read 1 RRU (strongly consistent GetItem)
    assert lines["DynamoDB writes"] == Decimal("0.3125")
    assert lines["DynamoDB reads"] == Decimal("0.0625")
    assert "X-Ray traces recorded" not in lines  # tracing is PassThrough in this plan


def test_memory_size_is_read_from_the_plan() -> None:
    core = serverless_core()
    core[1]["values"]["memory_size"] = 1024
    report = cost.build_report(plan(*core), table=TABLE)
    duration = next(line for line in report.marginal if line.label.startswith("Lambda duration"))

    assert duration.monthly == Decimal(20_000) * Decimal("0.0000133334")
    assert "1024 MB, arm64" in report.facts[0]


def test_list_pages_are_eventually_consistent_queries() -> None:
    # 21 items of 1 KB = 21 KB -> 6 x 4 KB units, halved for eventual consistency = 3 RRU
    assumptions = cost.Assumptions(mix={"list": 1}, list_page_items=20)
    report = cost.build_report(plan(*serverless_core()), assumptions, TABLE)
    reads = next(line for line in report.marginal if line.label == "DynamoDB reads")

    assert reads.monthly == 3 * Decimal("0.125")


def test_active_tracing_adds_sampled_xray_traces() -> None:
    core = serverless_core()
    core[1]["values"]["tracing_config"] = [{"mode": "Active"}]
    report = cost.build_report(plan(*core), table=TABLE)
    xray = next(line for line in report.marginal if line.label == "X-Ray traces recorded")

    assert xray.monthly == Decimal("0.25")


def test_cli_prints_each_resource_and_the_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    dashboard = resource(
        "module.monitoring.aws_cloudwatch_dashboard.this[0]", "aws_cloudwatch_dashboard"
    )
    plan_file.write_text(json.dumps(plan(*serverless_core(), dashboard)))
    summary = tmp_path / "summary.md"

    code = cli.main(["--plan-json", str(plan_file), "--markdown", str(summary)])
    out = capsys.readouterr().out

    assert code == 0
    assert "Plan: 9 to add, 0 to change, 0 to replace, 0 to destroy" in out
    assert "$3.00  TOTAL per month, idle" in out
    assert "module.dynamodb.aws_dynamodb_table.this" in out
    assert "Free tier: counts CloudWatch's 10 free standard alarm metrics" in out
    assert "### Idle cost: $3.00 per month" in summary.read_text()


def test_cli_exits_2_with_the_unpriced_resource_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan(resource("aws_instance.web", "aws_instance"))))

    assert cli.main(["--plan-json", str(plan_file)]) == 2
    assert "aws_instance.web" in capsys.readouterr().err


def test_counting_every_free_tier_makes_one_dashboard_free_too() -> None:
    dashboard = resource("aws_cloudwatch_dashboard.this", "aws_cloudwatch_dashboard")
    everything_free = cost.Assumptions(free_tier="all")

    assert cost.build_report(plan(dashboard), everything_free, TABLE).idle_total == Decimal(0)
    assert cost.build_report(plan(dashboard), table=TABLE).idle_total == Decimal("3.00")
