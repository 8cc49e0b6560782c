"""Dates of PI's greetings: solar days, lunar days (Vietnam's calendar), birthdays.

Pure Python: imports nothing from odoo. Lunar dates come from the PyPI package
``lunar-vn`` in Vietnam's time zone (UTC+7): the Chinese calendar, computed at
UTC+8, puts some new moons (so some Tết) on another day.

- a solar (day, month) falls on that day each year; 29/02 falls on 28/02 in a
  year without it (birthdays of people born on a leap day);
- a lunar (day, month) falls on that day of the regular (not leap) lunar month
  of each lunar year; day 30 of a lunar month that has 29 days this year falls
  on its 29th, the month's last day (as a giỗ does);
- invalid days and months raise :class:`ValueError` with a code in ``args[0]``:
  ``invalid_month``, ``invalid_day``.
"""

import datetime

import lunar_vn

SOLAR = "solar"
LUNAR = "lunar"

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
LUNAR_MAX_DAY = 30
VN_UTC_OFFSET = 7.0


def check_day_month(day, month, calendar=SOLAR):
    """Raise ``ValueError("invalid_month" | "invalid_day")`` unless (day, month)
    is a day of some year in that calendar (29/02 is; lunar days go up to 30)."""
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError("invalid_month")
    max_day = LUNAR_MAX_DAY if calendar == LUNAR else _DAYS_IN_MONTH[month - 1]
    if not isinstance(day, int) or not 1 <= day <= max_day:
        raise ValueError("invalid_day")


def is_leap_year(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def solar_date_in_year(day, month, year):
    """The solar date of (day, month) in ``year``: 29/02 is 28/02 in a common year."""
    check_day_month(day, month, SOLAR)
    if (day, month) == (29, 2) and not is_leap_year(year):
        day = 28
    return datetime.date(year, month, day)


def lunar_date_in_year(day, month, lunar_year):
    """The solar date of lunar (day, month) of ``lunar_year`` (regular month, not
    the leap one), in Vietnam's time zone; day 30 of a 29-day month is its 29th."""
    check_day_month(day, month, LUNAR)
    result = lunar_vn.convert_lunar_to_solar(day, month, lunar_year, 0, time_zone=VN_UTC_OFFSET)
    if day == LUNAR_MAX_DAY:
        back = lunar_vn.convert_solar_to_lunar(result.day, result.month, result.year, time_zone=VN_UTC_OFFSET)
        if back.day != LUNAR_MAX_DAY:
            # the month has 29 days this year: the conversion ran into the next month
            result -= datetime.timedelta(days=1)
    return result


def next_date(day, month, calendar=SOLAR, start=None):
    """The first solar date on or after ``start`` (a ``datetime.date``) on which
    (day, month) of ``calendar`` falls."""
    check_day_month(day, month, calendar)
    if start is None:
        raise ValueError("missing_start")
    if calendar == LUNAR:
        # a lunar year starts in January or February of the solar year: the day
        # may belong to the lunar year before the solar one, or the one after
        candidates = (lunar_date_in_year(day, month, year) for year in (start.year - 1, start.year, start.year + 1))
        return min(candidate for candidate in candidates if candidate >= start)
    this_year = solar_date_in_year(day, month, start.year)
    return this_year if this_year >= start else solar_date_in_year(day, month, start.year + 1)


def falls_on(day, month, calendar, date):
    """Whether (day, month) of ``calendar`` falls on the solar ``date``."""
    return next_date(day, month, calendar, date) == date


def anniversary_days(date):
    """The (day, month) pairs of dates of birth (or founding) whose anniversary
    falls on ``date``: 28/02 of a common year also greets those born on 29/02."""
    days = [(date.day, date.month)]
    if (date.day, date.month) == (28, 2) and not is_leap_year(date.year):
        days.append((29, 2))
    return days
