"""Fee level names that state their rate ("Mức phí 10%") follow the rate.

Pure Python: imports nothing from odoo.
"""

import re

# A number followed by a percent sign: "10%", "10 %", "6,5 %", "6.5%".
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)(\s*%)")


def format_rate(rate, decimal_point=","):
    """12.0 → "12", 12.5 → "12,5" (at most two decimals, no trailing zeros)."""
    text = f"{rate:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_point)


def rename_for_rate(name, old_rate, new_rate, decimal_point=","):
    """``name`` with the percentage equal to ``old_rate`` written as ``new_rate``,
    or None when the name states no such percentage (a name of its own, kept).

    The number keeps the spacing and, when it had one, the decimal separator of
    the name ("Mức phí 6,5 %" → "Mức phí 7,25 %"); ``decimal_point`` is for a
    name that had a whole number.
    """
    if not name or old_rate == new_rate:
        return None
    found = False

    def replace(match):
        nonlocal found
        number = match.group(1)
        if found or round(float(number.replace(",", ".")), 2) != round(old_rate, 2):
            return match.group(0)
        found = True
        point = next((sep for sep in ".," if sep in number), decimal_point)
        return format_rate(new_rate, point) + match.group(2)

    renamed = _PERCENT.sub(replace, name)
    return renamed if found else None
