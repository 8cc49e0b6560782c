"""Amounts in đồng written short, for SMS: "1,65 tỷ", "162,5 triệu". Pure Python, no odoo.

Vietnamese writes the decimal comma and the thousands dot; at most two
decimals, trailing zeros dropped, rounded half up.
"""

from decimal import ROUND_HALF_UP, Decimal

# (size, unit with diacritics, unit without), largest first
_UNITS = (
    (10**9, "tỷ", "ty"),
    (10**6, "triệu", "trieu"),
    (10**3, "nghìn", "nghin"),
)
_PLAIN = ("đ", "d")


def _group_thousands(digits):
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def _number(value, decimals=2):
    """``value`` (Decimal) with at most ``decimals`` decimals, Vietnamese separators."""
    text = f"{value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    whole = _group_thousands(whole)
    return f"{whole},{fraction}" if fraction else whole


def compact_vnd(amount, ascii_only=False):
    """``amount`` (whole đồng) as a short text.

    1_650_000_000 → "1,65 tỷ"; 162_500_000 → "162,5 triệu"; 850_000 → "850 nghìn";
    500 → "500 đ"; 999_999_999 → "1 tỷ" (rounding goes up a unit). With
    ``ascii_only``: "1,65 ty", for SMS sent without diacritics.
    """
    amount = Decimal(int(round(amount or 0)))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    index = 0 if ascii_only else 1
    for position, (size, *names) in enumerate(_UNITS):
        if amount >= size:
            value = (amount / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if value >= 1000 and position:  # 999.995 triệu → 1 tỷ
                size, *names = _UNITS[position - 1]
                value = amount / size
            return f"{sign}{_number(value)} {names[1 - index]}"
    return f"{sign}{_number(amount, 0)} {_PLAIN[1 - index]}"
