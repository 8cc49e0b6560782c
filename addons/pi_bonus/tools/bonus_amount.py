"""The consultants' bonus arithmetic. Pure Python: imports nothing from odoo.

A contract earns its consultant ``rate`` percent of its principal, in whole đồng
rounded half up, under the rule with the highest minimum principal not above the
contract's principal.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal


def bonus_amount(principal, rate):
    """``rate`` percent of ``principal``, in whole đồng rounded half up.

    >>> bonus_amount(1_500_000_000, 0.8)
    12000000
    >>> bonus_amount(333_333_333, 0.5)
    1666667
    """
    if principal < 0 or rate < 0:
        raise ValueError("principal and rate must not be negative")
    # str() first: 0.8 as a float is 0.80000000000000004..., as typed it is 0.8
    value = Decimal(str(principal)) * Decimal(str(rate)) / 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pick_rule(rules, principal):
    """The key of the rule that applies to ``principal``: the highest minimum
    principal not above it; on a tie, the first one given. None when none applies.

    :param rules: iterable of ``(key, min_principal)``
    """
    best = None
    for key, min_principal in rules:
        if min_principal <= principal and (best is None or min_principal > best[1]):
            best = (key, min_principal)
    return best[0] if best else None


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def previous_month_start(day):
    """The first day of the month before ``day``'s."""
    return month_start(month_start(day) - datetime.timedelta(days=1))


def whole_dong(amount):
    """``amount`` rounded half up to the đồng: 1666666.5 → 1666667."""
    return int(Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_vnd(amount):
    """Whole đồng with dots between thousands, as PI writes them: 12000000 → "12.000.000 đ"."""
    value = whole_dong(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,} đ".replace(",", ".")
