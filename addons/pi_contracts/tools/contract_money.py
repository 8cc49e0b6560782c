"""The money rule of a PI investment contract.

Pure Python: imports nothing from odoo, so ``tests/test_contract_money.py``
checks it without a database and the contract model, the settlement wizard,
the Excel export and the benchmark all share this one implementation.

For a contract with principal P (whole đồng), base rate b and fee rate f
(percent per year, 6 means 6 %), valued on date d (kept between date_start
and date_end):

    days            = d - date_start                      (calendar days)
    base_profit     = round(P * b/100 * days / 365)
    gross_profit    = round(P * (NAV(d) / NAV(date_start) - 1))   (0 without a NAV at start)
    excess_profit   = max(0, gross_profit - base_profit)
    fee             = round(f/100 * excess_profit)
    investor_profit = base_profit + excess_profit - fee
    payout          = P + investor_profit

Every ``round`` is half up (half away from zero) to whole đồng, done with
``decimal`` so that no binary float rounding creeps into an amount.
"""

import bisect
import datetime
from decimal import ROUND_HALF_UP, Context, Decimal

DAYS_PER_YEAR = 365
PAYOUT_KEYS = (
    "principal",
    "days",
    "base_profit",
    "gross_profit",
    "excess_profit",
    "fee",
    "investor_profit",
    "payout",
)
# 50 significant digits: far beyond any VND amount times any rate, so a
# quotient is only ever rounded once, by ``round_vnd``.
_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_YEAR = Decimal(DAYS_PER_YEAR)


class MoneyRuleError(ValueError):
    """Input the money rule cannot value. ``code`` names what is wrong, for the
    caller to word in the user's language: "date", "principal", "base_rate",
    "fee_rate" or "nav"; the message (English) is for logs and developers."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def to_decimal(value):
    """A Decimal of an int, a float (through its shortest repr: 6.1 → 6.1), a str or a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_vnd(value):
    """Whole đồng, half away from zero: 2.5 → 3, -2.5 → -3, 2.49 → 2."""
    return int(to_decimal(value).quantize(_ONE, rounding=ROUND_HALF_UP, context=_CONTEXT))


def to_date(value):
    """A ``datetime.date`` from a date, a datetime or an ISO 'YYYY-MM-DD' string."""
    day = _to_date(value)
    if day is None:
        raise MoneyRuleError("date", f"not a date: {value!r}")
    return day


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def valuation_date(date_start, date_end, on_date):
    """The date the contract is valued on: ``on_date`` kept within [date_start, date_end]."""
    on_date = to_date(on_date)
    if date_end and on_date > date_end:
        on_date = date_end
    return max(on_date, date_start)


class NavSeries:
    """A product's NAV index over time; ``on(d)`` is the latest value on or before d."""

    __slots__ = ("dates", "values")

    def __init__(self, points=()):
        points = sorted((to_date(day), value) for day, value in points)
        self.dates = [day for day, _value in points]
        self.values = [value for _day, value in points]

    def on(self, day):
        """The latest NAV on or before ``day``, or None when the series starts later."""
        index = bisect.bisect_right(self.dates, day)
        return self.values[index - 1] if index else None

    def __len__(self):
        return len(self.dates)


def payout_breakdown(principal, base_rate, fee_rate, date_start, date_end, on_date, nav_start=None, nav_end=None):
    """The payout of a contract valued on ``on_date``.

    :param int principal: invested amount, whole đồng, >= 0
    :param base_rate: guaranteed rate, percent per year (6 means 6 %), >= 0
    :param fee_rate: PI's share of the profit above the base, percent, 0..100
    :param date date_start: start of the contract
    :param date date_end: end of the contract (``on_date`` is capped to it); None for no cap
    :param on_date: valuation date (a date or 'YYYY-MM-DD')
    :param nav_start: NAV(date_start), None when the product has no NAV by then
    :param nav_end: NAV(valuation date)
    :return: dict with exactly the keys of ``PAYOUT_KEYS``, all ints
    """
    principal = to_decimal(principal)
    if principal < 0 or principal != principal.to_integral_value():
        raise MoneyRuleError("principal", f"principal must be a non-negative whole amount, not {principal}")
    base_rate, fee_rate = to_decimal(base_rate), to_decimal(fee_rate)
    if base_rate < 0:
        raise MoneyRuleError("base_rate", f"base rate must be >= 0, not {base_rate}")
    if not 0 <= fee_rate <= 100:
        raise MoneyRuleError("fee_rate", f"fee rate must be within 0..100, not {fee_rate}")
    date_start = to_date(date_start)
    date_end = to_date(date_end) if date_end else None
    day = valuation_date(date_start, date_end, on_date)
    days = (day - date_start).days
    ctx = _CONTEXT
    base_profit = round_vnd(ctx.divide(ctx.multiply(ctx.multiply(principal, base_rate), days), _HUNDRED * _YEAR))
    if nav_start and nav_end:
        nav_start, nav_end = to_decimal(nav_start), to_decimal(nav_end)
        if nav_start <= 0 or nav_end <= 0:
            raise MoneyRuleError("nav", "NAV values must be > 0")
        gross_profit = round_vnd(ctx.subtract(ctx.divide(ctx.multiply(principal, nav_end), nav_start), principal))
    else:
        gross_profit = 0
    excess_profit = max(0, gross_profit - base_profit)
    fee = round_vnd(ctx.divide(ctx.multiply(fee_rate, excess_profit), _HUNDRED))
    investor_profit = base_profit + excess_profit - fee
    principal = int(principal)
    return {
        "principal": principal,
        "days": days,
        "base_profit": base_profit,
        "gross_profit": gross_profit,
        "excess_profit": excess_profit,
        "fee": fee,
        "investor_profit": investor_profit,
        "payout": principal + investor_profit,
    }


def payout_with_series(principal, base_rate, fee_rate, date_start, date_end, on_date, series):
    """``payout_breakdown`` with both NAVs read from a ``NavSeries`` (or None: no NAV)."""
    date_start = to_date(date_start)
    date_end = to_date(date_end) if date_end else None
    nav_start = nav_end = None
    if series:
        nav_start = series.on(date_start)
        if nav_start:
            nav_end = series.on(valuation_date(date_start, date_end, on_date))
    return payout_breakdown(principal, base_rate, fee_rate, date_start, date_end, on_date, nav_start, nav_end)
