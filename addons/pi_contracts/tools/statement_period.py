"""Periods of the investment statements. Pure Python: imports nothing from odoo.

A weekly statement covers the 7 days ending on its ``date_to``; a quarterly one
the calendar quarter ending on its ``date_to``. Figures are valued at the close
of ``date_to`` and at the close of the day before ``date_from`` (the opening):
so the profit of consecutive periods adds up to the profit over both, day for day.
"""

import datetime

WEEK_DAYS = 7
_ONE_DAY = datetime.timedelta(days=1)
# How many days late the daily job still makes a period's statements (a server
# down on the chosen weekday): later than that, the period is left out.
CATCH_UP_DAYS = 2
PERIODS = ("weekly", "quarterly")


def quarter_start(day):
    """The first day of the calendar quarter of ``day``: 15/05/2026 → 01/04/2026."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_of(day):
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def is_quarter_end(day):
    """31/03, 30/06, 30/09 and 31/12."""
    return quarter_start(day + _ONE_DAY) == day + _ONE_DAY


def period_start(period, date_to):
    """The first day of the period ending on ``date_to``.

    :param period: "weekly" (7 days ending on date_to) or "quarterly" (the
        calendar quarter of date_to, which must be its last day)
    """
    if period == "weekly":
        return date_to - datetime.timedelta(days=WEEK_DAYS - 1)
    if period == "quarterly":
        if not is_quarter_end(date_to):
            raise ValueError(f"{date_to} is not the last day of a quarter")
        return quarter_start(date_to)
    raise ValueError(f"unknown period {period!r}")


def opening_date(date_from):
    """The day the opening figures are valued on: the day before the period."""
    return date_from - _ONE_DAY


def due_weekly_date_to(today, weekday, catch_up_days=CATCH_UP_DAYS):
    """The ``date_to`` of the weekly period to send ``today``, or None.

    The statements go out on ``weekday`` (0 = Monday … 6 = Sunday) for the 7 days
    that ended the day before: on Monday 30/11/2026, the week 23/11–29/11. Up to
    ``catch_up_days`` days later the same week is still due.
    """
    sending_day = today - datetime.timedelta(days=(today.weekday() - weekday) % WEEK_DAYS)
    if (today - sending_day).days > catch_up_days:
        return None
    return sending_day - _ONE_DAY


def due_quarterly_date_to(today, catch_up_days=CATCH_UP_DAYS):
    """The ``date_to`` of the quarter to send ``today`` (the day after it ended, or
    up to ``catch_up_days`` days later), or None."""
    start = quarter_start(today)
    if (today - start).days > catch_up_days:
        return None
    return start - _ONE_DAY


def days_to_maturity(date_end, on_date):
    """Whole days from ``on_date`` to ``date_end``, never below 0."""
    return max((date_end - on_date).days, 0) if date_end else 0
