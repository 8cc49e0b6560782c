"""Small text rules for the contract documents, without Odoo."""


def rate_decimals(rate, max_decimals=4):
    """How many decimals print ``rate`` without trailing zeros: 6 → 0, 6.5 → 1, 6.25 → 2.

    Rates are percents kept with at most ``max_decimals`` decimals; float noise
    beyond that (6.499999999) is rounded away first.
    """
    text = f"{abs(rate or 0.0):.{max_decimals}f}".rstrip("0")
    return len(text.split(".")[1])


def one_line(*parts):
    """Non-empty parts joined on one line, each once: ("12 Lý Thường Kiệt", "", "Hà Nội", "Hà Nội")
    → "12 Lý Thường Kiệt, Hà Nội" (a city that is also its province is printed once)."""
    kept = []
    for part in parts:
        part = (part or "").strip()
        if part and part.casefold() not in (seen.casefold() for seen in kept):
            kept.append(part)
    return ", ".join(kept)
