"""Idle-cost and per-request cost report from ``terraform show -json`` of a plan.

Idle cost is what the stack costs per month with no traffic and no data: for this design most
of it is $0 by construction (on-demand table, Lambda, REST API, log groups until data arrives),
and every line says why. Marginal cost is what each million requests adds. Prices come from the
dated, sourced table in ``harness/pricing/``; a resource type that is neither priced nor listed
as free there fails the report, so a new resource can never be counted as free by accident.

    python -m harness.cost --plan-json plan.json          # a plan you already have
    python -m harness.cost --target emulator              # plan the root stack, then report
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from harness import pricing
from harness.pricing import PriceTable

FreeTier = Literal["alarms", "none", "all"]
FREE_TIER_CHOICES: tuple[FreeTier, ...] = ("alarms", "none", "all")
MILLION = Decimal(1_000_000)
GIB = Decimal(1024**3)
DEFAULT_MIX = {"get": 50, "list": 20, "create": 15, "update": 10, "delete": 5}
# X-Ray's default sampling rule records the first request each second and 5% of the rest.
XRAY_SAMPLED_SHARE = Decimal("0.05")


class UnpricedResourceError(ValueError):
    """The plan holds resource types the price table neither prices nor lists as free."""


@dataclass(frozen=True)
class Line:
    label: str
    monthly: Decimal
    basis: str


@dataclass(frozen=True)
class Assumptions:
    duration_ms: Decimal = Decimal(20)
    log_bytes_per_request: int = 1024
    item_kb: Decimal = Decimal(1)
    list_page_items: int = 20
    mix: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MIX))
    free_tier: FreeTier = "alarms"


@dataclass(frozen=True)
class Report:
    table: PriceTable
    assumptions: Assumptions
    idle: list[Line]
    marginal: list[Line]
    facts: list[str]

    @property
    def idle_total(self) -> Decimal:
        return sum((line.monthly for line in self.idle), Decimal(0))

    @property
    def marginal_total(self) -> Decimal:
        return sum((line.monthly for line in self.marginal), Decimal(0))


# -- reading the plan ---------------------------------------------------------------------------
def planned_resources(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Managed resources the plan leaves in place (``planned_values``), modules included."""

    def walk(module: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") == "managed":
                yield resource
        for child in module.get("child_modules", []):
            yield from walk(child)

    root = plan.get("planned_values", {}).get("root_module", {})
    return sorted(walk(root), key=lambda resource: str(resource["address"]))


def plan_summary(plan: Mapping[str, Any]) -> dict[str, int]:
    """Counts of ``create``/``update``/``replace``/``delete`` in the plan's resource changes."""
    counts = {"create": 0, "update": 0, "replace": 0, "delete": 0}
    for change in plan.get("resource_changes", []):
        actions = change.get("change", {}).get("actions", [])
        if "create" in actions and "delete" in actions:
            counts["replace"] += 1
        elif actions in (["create"], ["update"], ["delete"]):
            counts[actions[0]] += 1
    return counts


def _first(value: Any) -> dict[str, Any]:
    """Terraform renders nested blocks as lists; the first element or an empty dict."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


# -- idle cost ----------------------------------------------------------------------------------
def _alarm_metrics(values: Mapping[str, Any]) -> tuple[int, bool]:
    """(billable alarm metrics, high resolution) of one metric alarm, as CloudWatch bills it."""
    queries = values.get("metric_query") or []
    if queries:
        metrics = sum(1 for query in queries if _first(query.get("metric")))
        anomaly = any("ANOMALY_DETECTION_BAND" in str(q.get("expression") or "") for q in queries)
        periods = [_first(q.get("metric")).get("period", 60) for q in queries]
        return (metrics + 2 if anomaly else max(metrics, 1)), min(periods, default=60) < 60
    return 1, int(values.get("period") or 60) < 60


Priced = tuple[Decimal, str, int]  # monthly cost, basis, standard alarm metrics used


def _flat(key: str, what: str) -> Callable[[Mapping[str, Any], PriceTable], Priced]:
    def price(_values: Mapping[str, Any], table: PriceTable) -> Priced:
        amount = table[key].price
        return amount, f"{what} ${amount}/month", 0

    return price


def _metric_alarm(values: Mapping[str, Any], table: PriceTable) -> Priced:
    metrics, high_res = _alarm_metrics(values)
    key = "cloudwatch_alarm_high_resolution" if high_res else "cloudwatch_alarm_standard"
    price = table[key].price
    kind = "high-resolution" if high_res else "standard"
    basis = f"{metrics} {kind} alarm metric(s) x ${price}/month"
    return price * metrics, basis, 0 if high_res else metrics


def _dynamodb_table(values: Mapping[str, Any], table: PriceTable) -> Priced:
    pitr = "PITR on" if _first(values.get("point_in_time_recovery")).get("enabled") else "no PITR"
    storage = (
        f"storage ${table['dynamodb_storage'].price}/GB-month, {pitr} "
        f"(${table['dynamodb_pitr'].price}/GB-month): $0 at 0 bytes"
    )
    if values.get("billing_mode") != "PROVISIONED":
        return Decimal(0), f"on-demand: no charge idle; {storage}", 0
    hours = table.hours_per_month
    rcu, wcu = int(values.get("read_capacity") or 0), int(values.get("write_capacity") or 0)
    monthly = hours * (
        rcu * table["dynamodb_provisioned_rcu"].price
        + wcu * table["dynamodb_provisioned_wcu"].price
    )
    return monthly, f"provisioned {rcu} RCU + {wcu} WCU x {hours} h; {storage}", 0


def _api_stage(values: Mapping[str, Any], table: PriceTable) -> Priced:
    if not values.get("cache_cluster_enabled"):
        return Decimal(0), "no charge: no stage cache; billed per request", 0
    size = str(values.get("cache_cluster_size") or "0.5")
    hourly = Decimal(table["api_gateway_cache"].extra["cache_hourly_by_size_gb"][size])
    hours = table.hours_per_month
    return hourly * hours, f"{size} GB stage cache x ${hourly}/h x {hours} h", 0


_PRICERS: dict[str, Callable[[Mapping[str, Any], PriceTable], Priced]] = {
    "aws_cloudwatch_dashboard": _flat("cloudwatch_dashboard", "dashboard"),
    "aws_cloudwatch_metric_alarm": _metric_alarm,
    "aws_cloudwatch_composite_alarm": _flat("cloudwatch_alarm_composite", "composite alarm"),
    "aws_kms_key": _flat("kms_customer_managed_key", "customer managed key"),
    "aws_secretsmanager_secret": _flat("secrets_manager_secret", "secret"),
    "aws_dynamodb_table": _dynamodb_table,
    "aws_api_gateway_stage": _api_stage,
}


def _idle_line(resource: Mapping[str, Any], table: PriceTable) -> tuple[Line, int] | None:
    """The line of one resource and the standard alarm metrics it uses (for the free tier)."""
    kind, address = resource["type"], resource["address"]
    pricer = _PRICERS.get(kind)
    if pricer is not None:
        monthly, basis, metrics = pricer(resource.get("values") or {}, table)
        return Line(address, monthly, basis), metrics
    if kind in table.free_when_idle:
        return Line(address, Decimal(0), table.free_when_idle[kind]), 0
    return None


def idle_costs(
    resources: list[dict[str, Any]], table: PriceTable, free_tier: FreeTier = "alarms"
) -> list[Line]:
    lines: list[Line] = []
    unpriced: list[str] = []
    alarm_metrics = 0
    dashboards = 0
    for resource in resources:
        if resource["type"] == "aws_lambda_provisioned_concurrency_config":
            unpriced.append(f"{resource['address']} (provisioned concurrency: not modelled)")
            continue
        priced = _idle_line(resource, table)
        if priced is None:
            unpriced.append(f"{resource['address']} ({resource['type']})")
            continue
        line, metrics = priced
        lines.append(line)
        alarm_metrics += metrics
        dashboards += resource["type"] == "aws_cloudwatch_dashboard"
    if unpriced:
        raise UnpricedResourceError(
            f"no price for: {', '.join(unpriced)}; add the type to {table.path} (under prices "
            "with a source, or under free_when_idle with the reason it costs nothing idle)"
        )
    if free_tier in ("alarms", "all") and alarm_metrics:
        alarm = table["cloudwatch_alarm_standard"]
        free = min(alarm_metrics, int(alarm.free_quantity))
        lines.append(
            Line(
                "free tier: CloudWatch alarm metrics",
                -alarm.price * free,
                f"{free} of the {alarm.free_quantity} free {alarm.free_unit}",
            )
        )
    if free_tier == "all" and dashboards:
        dashboard = table["cloudwatch_dashboard"]
        free = min(dashboards, int(dashboard.free_quantity))
        lines.append(
            Line(
                "free tier: CloudWatch dashboards",
                -dashboard.price * free,
                f"{free} of the {dashboard.free_quantity} free {dashboard.free_unit}",
            )
        )
    return lines


# -- marginal cost per million requests ---------------------------------------------------------
def _capacity_per_request(assumptions: Assumptions) -> tuple[Decimal, Decimal]:
    """(WRU, RRU) an average request consumes, from the handler's access pattern.

    get: GetItem, strongly consistent (1 RRU per 4 KB); list: one eventually consistent Query
    of page+1 items (0.5 RRU per 4 KB); create: conditional PutItem; update: UpdateItem;
    delete: DeleteItem (1 WRU per 1 KB each). Creates that carry an Idempotency-Key add the
    record's PutItem and UpdateItem (2 WRU); the default mix assumes they do not.
    """
    item_kb = assumptions.item_kb
    write = Decimal(math.ceil(item_kb))
    per_operation = {
        "get": (Decimal(0), Decimal(math.ceil(item_kb / 4))),
        "list": (
            Decimal(0),
            Decimal(math.ceil(item_kb * (assumptions.list_page_items + 1) / 4)) / 2,
        ),
        "create": (write, Decimal(0)),
        "update": (write, Decimal(0)),
        "delete": (write, Decimal(0)),
    }
    unknown = set(assumptions.mix) - per_operation.keys()
    if unknown:
        raise ValueError(
            f"unknown operations in the mix: {sorted(unknown)}; use {list(per_operation)}"
        )
    total = Decimal(sum(assumptions.mix.values()))
    if total <= 0:
        raise ValueError("the request mix must have a positive total")
    wru = sum((per_operation[op][0] * share for op, share in assumptions.mix.items()), Decimal(0))
    rru = sum((per_operation[op][1] * share for op, share in assumptions.mix.items()), Decimal(0))
    return wru / total, rru / total


def marginal_costs(
    resources: list[dict[str, Any]], table: PriceTable, assumptions: Assumptions
) -> tuple[list[Line], list[str]]:
    """Cost lines per million requests, and the facts read from the plan."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        by_type.setdefault(resource["type"], []).append(resource.get("values") or {})
    lines: list[Line] = []
    facts: list[str] = []
    if by_type.get("aws_api_gateway_rest_api"):
        price = table["api_gateway_rest_requests"].price
        lines.append(Line("API Gateway REST requests", price, f"${price} per million"))
    functions = by_type.get("aws_lambda_function", [])
    traced = any(
        _first(values.get("tracing_config")).get("mode") == "Active" for values in functions
    )
    for values in functions:
        memory = int(values.get("memory_size") or 128)
        arch = (values.get("architectures") or ["x86_64"])[0]
        facts.append(f"Lambda {values.get('function_name', '?')}: {memory} MB, {arch}")
        requests = table["lambda_requests"].price
        lines.append(Line("Lambda requests", requests, f"${requests} per million"))
        duration = table["lambda_arm64_duration" if arch == "arm64" else "lambda_x86_64_duration"]
        gb_seconds = Decimal(memory) / 1024 * assumptions.duration_ms / 1000 * MILLION
        lines.append(
            Line(
                f"Lambda duration ({arch})",
                gb_seconds * duration.price,
                f"{memory} MB x {assumptions.duration_ms} ms x 1M = {gb_seconds:,.0f} GB-s "
                f"x ${duration.price}",
            )
        )
    tables = by_type.get("aws_dynamodb_table", [])
    if tables and all(values.get("billing_mode") == "PAY_PER_REQUEST" for values in tables):
        wru, rru = _capacity_per_request(assumptions)
        write, read = table["dynamodb_on_demand_write"], table["dynamodb_on_demand_read"]
        lines.append(
            Line("DynamoDB writes", wru * write.price, f"{wru:.2f} WRU/request x ${write.price}/M")
        )
        lines.append(
            Line("DynamoDB reads", rru * read.price, f"{rru:.2f} RRU/request x ${read.price}/M")
        )
    if functions:
        ingestion = table["cloudwatch_logs_ingestion"].price
        gib = Decimal(assumptions.log_bytes_per_request) * MILLION / GIB
        lines.append(
            Line(
                "CloudWatch Logs ingestion",
                gib * ingestion,
                f"{assumptions.log_bytes_per_request} B/request = {gib:.3f} GiB x ${ingestion}/GB",
            )
        )
    if traced:
        traces = table["xray_traces_recorded"].price
        lines.append(
            Line(
                "X-Ray traces recorded",
                traces * XRAY_SAMPLED_SHARE,
                f"default rule: {XRAY_SAMPLED_SHARE:%} above 1 request/s; below that nearly every "
                f"request is traced (up to ${traces}/M)",
            )
        )
    return lines, facts


def build_report(
    plan: Mapping[str, Any], assumptions: Assumptions | None = None, table: PriceTable | None = None
) -> Report:
    assumptions = assumptions or Assumptions()
    table = table or pricing.load()
    resources = planned_resources(plan)
    idle = idle_costs(resources, table, assumptions.free_tier)
    marginal, facts = marginal_costs(resources, table, assumptions)
    return Report(table=table, assumptions=assumptions, idle=idle, marginal=marginal, facts=facts)


if __name__ == "__main__":
    from harness.pricing.cli import main

    raise SystemExit(main())
