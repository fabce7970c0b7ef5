"""``python -m harness.cost``: render the cost report as text (and Markdown for CI summaries)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from harness import cost, pricing
from harness.paths import REPO_ROOT


def _money(value: Decimal, places: int = 2) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{places}f}"


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def free_tier_text(free_tier: cost.FreeTier) -> str:
    return {
        "alarms": "counts CloudWatch's 10 free standard alarm metrics per account (as if this "
        "stack were alone in it); every other line, dashboards included, at list price",
        "none": "not counted: every line at list price",
        "all": "counts the 10 free alarm metrics and the 3 free dashboards per account (as if "
        "this stack were alone in it)",
    }[free_tier]


def mix_text(mix: dict[str, int] | Any) -> str:
    total = sum(mix.values())
    return ", ".join(f"{op} {share * 100 / total:.0f}%" for op, share in mix.items())


def render_text(report: cost.Report, plan_counts: dict[str, int] | None = None) -> str:
    table, assumptions = report.table, report.assumptions
    out: list[str] = []
    if plan_counts is not None:
        out.append(
            "Plan: {create} to add, {update} to change, {replace} to replace, "
            "{delete} to destroy".format(**plan_counts)
        )
        out.append("")
    out.append(
        f"Idle cost per month ({table.region}, {table.currency}, prices as of {table.as_of}, "
        f"{_relative(table.path)})"
    )
    out.append(f"Free tier: {free_tier_text(assumptions.free_tier)}.")
    width = max((len(line.label) for line in report.idle), default=10)
    for line in report.idle:
        out.append(f"  {_money(line.monthly):>8}  {line.label:<{width}}  {line.basis}")
    out.append(f"  {_money(report.idle_total):>8}  TOTAL per month, idle")
    out.append("")
    out.append(
        f"Marginal cost per million requests (no free tier; {assumptions.duration_ms} ms billed "
        f"duration; mix {mix_text(assumptions.mix)}; {assumptions.item_kb} KB items; "
        f"{assumptions.list_page_items}-item list pages)"
    )
    for fact in report.facts:
        out.append(f"  plan: {fact}")
    width = max((len(line.label) for line in report.marginal), default=10)
    for line in report.marginal:
        out.append(f"  {_money(line.monthly, 4):>9}  {line.label:<{width}}  {line.basis}")
    out.append(f"  {_money(report.marginal_total, 4):>9}  TOTAL per million requests")
    out.append(
        "  Not included: data transfer out, CloudWatch metrics/Logs storage over time, "
        "DynamoDB storage and PITR as data grows."
    )
    return "\n".join(out) + "\n"


def render_markdown(report: cost.Report, plan_counts: dict[str, int] | None = None) -> str:
    table = report.table
    out: list[str] = []
    if plan_counts is not None:
        out.append("### Terraform plan")
        out.append(
            "**{create}** to add, **{update}** to change, **{replace}** to replace, "
            "**{delete}** to destroy".format(**plan_counts)
        )
        out.append("")
    out.append(f"### Idle cost: {_money(report.idle_total)} per month")
    out.append(
        f"Prices: {table.region}, as of {table.as_of} (`{_relative(table.path)}`). "
        f"Free tier: {free_tier_text(report.assumptions.free_tier)}."
    )
    out.append("")
    out.append("| Resource | $/month | Basis |")
    out.append("|---|---:|---|")
    out.extend(
        f"| `{line.label}` | {_money(line.monthly)} | {line.basis} |" for line in report.idle
    )
    out.append("")
    out.append(f"### Per million requests: {_money(report.marginal_total, 4)}")
    out.append("| Item | $ | Basis |")
    out.append("|---|---:|---|")
    out.extend(
        f"| {line.label} | {_money(line.monthly, 4)} | {line.basis} |" for line in report.marginal
    )
    return "\n".join(out) + "\n"


def _parse_mix(text: str) -> dict[str, int]:
    mix: dict[str, int] = {}
    for part in text.split(","):
        name, _, share = part.partition("=")
        if not share.strip().isdigit():
            raise argparse.ArgumentTypeError(f"bad mix entry {part!r}: use e.g. get=50,create=15")
        mix[name.strip()] = int(share)
    return mix


def _parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _parse_var(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"bad --var {text!r}: use NAME=VALUE (VALUE as JSON)")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m harness.cost", description=__doc__)
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--plan-json", type=Path, help="`terraform show -json` of a plan ('-': stdin)"
    )
    source.add_argument(
        "--target",
        choices=("emulator", "aws"),
        default="emulator",
        help="without --plan-json: plan the root stack here (default: the embedded emulator)",
    )
    p.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    p.add_argument(
        "--var",
        type=_parse_var,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a root-module variable for the plan (repeatable; VALUE parsed as JSON)",
    )
    p.add_argument(
        "--duration-ms",
        type=_parse_decimal,
        default=Decimal(20),
        help="billed Lambda duration per request (default 20; see --duration-from-log-group)",
    )
    p.add_argument(
        "--duration-from-log-group",
        metavar="GROUP",
        help="use the median Billed Duration of the newest REPORT lines in this log group of a "
        "deployed function (on AWS, in --region) instead of --duration-ms",
    )
    p.add_argument("--log-bytes-per-request", type=int, default=1024)
    p.add_argument("--item-kb", type=_parse_decimal, default=Decimal(1))
    p.add_argument("--list-page-items", type=int, default=20)
    p.add_argument(
        "--mix",
        type=_parse_mix,
        default=dict(cost.DEFAULT_MIX),
        help="request mix, e.g. get=50,list=20,create=15,update=10,delete=5",
    )
    p.add_argument("--free-tier", choices=cost.FREE_TIER_CHOICES, default="alarms")
    p.add_argument("--prices", type=Path, default=pricing.DEFAULT_TABLE)
    p.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help='also append a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY")',
    )
    return p


def plan_root_stack(target_kind: str, region: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Plan terraform/ (never applied) in a throwaway working copy and return ``show -json``."""
    from harness import toolchain
    from harness.emulator import running
    from harness.stack import Stack
    from harness.target import Target

    chain = toolchain.ensure()
    with contextlib.ExitStack() as resources:
        if target_kind == "aws":
            target = Target.for_aws(region)
        else:
            target = Target.for_emulator(resources.enter_context(running()))
        stack = Stack.of_product(f"sda-cost-{os.getpid()}", target, chain, **variables)
        resources.callback(stack.remove_workdir)
        stack.init()
        return stack.plan_json()


def measured_duration_ms(log_group: str, region: str) -> Decimal:
    """Median billed duration of the function's recent invocations (its REPORT lines)."""
    from statistics import median_low

    from harness.aws.logs import billed_durations_ms
    from harness.target import Target

    durations = billed_durations_ms(Target.for_aws(region), log_group)
    if not durations:
        raise SystemExit(f"cost: no REPORT lines in {log_group} ({region}): invoke it first")
    print(
        f"measured: median billed duration {median_low(durations)} ms over "
        f"{len(durations)} invocations of {log_group}",
        file=sys.stderr,
    )
    return Decimal(median_low(durations))


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.plan_json is not None:
        text = sys.stdin.read() if str(args.plan_json) == "-" else args.plan_json.read_text()
        plan: dict[str, Any] = json.loads(text)
    else:
        plan = plan_root_stack(args.target, args.region, dict(args.var))
    duration_ms = args.duration_ms
    if args.duration_from_log_group:
        duration_ms = measured_duration_ms(args.duration_from_log_group, args.region)
    assumptions = cost.Assumptions(
        duration_ms=duration_ms,
        log_bytes_per_request=args.log_bytes_per_request,
        item_kb=args.item_kb,
        list_page_items=args.list_page_items,
        mix=args.mix,
        free_tier=args.free_tier,
    )
    try:
        report = cost.build_report(plan, assumptions, pricing.load(args.prices))
    except (cost.UnpricedResourceError, pricing.PricingError, ValueError) as error:
        print(f"cost: {error}", file=sys.stderr)
        return 2
    counts = cost.plan_summary(plan)
    sys.stdout.write(render_text(report, counts))
    if args.markdown is not None:
        with args.markdown.open("a") as summary:
            summary.write(render_markdown(report, counts))
    return 0
