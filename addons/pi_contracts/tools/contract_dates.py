"""Contract dates: end of term.

Pure Python: imports nothing from odoo.
"""

import calendar
import datetime


def add_months(day, months):
    """``day`` plus ``months`` calendar months, clamped to the month's last day.

    31/01/2026 + 1 month → 28/02/2026; 15/03/2026 + 12 months → 15/03/2027.
    """
    if not day:
        return None
    month_index = day.month - 1 + int(months or 0)
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

