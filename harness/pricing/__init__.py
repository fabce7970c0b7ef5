"""The dated, sourced price table the cost report reads (one JSON file per region)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

PRICING_DIR = Path(__file__).resolve().parent
DEFAULT_TABLE = PRICING_DIR / "prices_us_east_1.json"


class PricingError(ValueError):
    """The price table is missing an entry or is malformed."""


@dataclass(frozen=True)
class Price:
    key: str
    price: Decimal
    unit: str
    source: str
    free_quantity: Decimal = Decimal(0)
    free_unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PriceTable:
    region: str
    currency: str
    as_of: str
    hours_per_month: Decimal
    prices: dict[str, Price]
    free_when_idle: dict[str, str]
    path: Path

    def __getitem__(self, key: str) -> Price:
        try:
            return self.prices[key]
        except KeyError:
            raise PricingError(
                f"{self.path} has no price {key!r}: add it (with a source)"
            ) from None


def load(path: Path = DEFAULT_TABLE) -> PriceTable:
    raw = json.loads(path.read_text())
    prices: dict[str, Price] = {}
    for key, entry in raw["prices"].items():
        missing = {"price", "unit", "source"} - entry.keys()
        if missing:
            raise PricingError(f"{path}: price {key!r} lacks {sorted(missing)}")
        free = entry.get("free_tier", {})
        prices[key] = Price(
            key=key,
            price=Decimal(entry["price"]),
            unit=entry["unit"],
            source=entry["source"],
            free_quantity=Decimal(str(free.get("quantity", 0))),
            free_unit=free.get("unit", ""),
            extra={k: v for k, v in entry.items() if k not in {"price", "unit", "source"}},
        )
    return PriceTable(
        region=raw["region"],
        currency=raw["currency"],
        as_of=raw["as_of"],
        hours_per_month=Decimal(str(raw["hours_per_month"])),
        prices=prices,
        free_when_idle=dict(raw["free_when_idle"]),
        path=path,
    )
