import datetime

import pytest

import greeting_dates as gd

D = datetime.date


@pytest.mark.parametrize(
    ("day", "month", "start", "expected"),
    [
        (1, 1, D(2026, 12, 1), D(2027, 2, 6)),  # Tết Đinh Mùi 2027 (Vietnam, UTC+7)
        (1, 1, D(2026, 1, 1), D(2026, 2, 17)),  # Tết Bính Ngọ 2026
        (10, 3, D(2027, 1, 1), D(2027, 4, 16)),  # Giỗ Tổ Hùng Vương 2027
        (10, 3, D(2026, 1, 1), D(2026, 4, 26)),  # Giỗ Tổ Hùng Vương 2026
        (15, 8, D(2026, 1, 1), D(2026, 9, 25)),  # Trung thu 2026
        (15, 8, D(2027, 1, 1), D(2027, 9, 15)),  # Trung thu 2027
    ],
)
def test_lunar_holidays_on_their_solar_dates(day, month, start, expected):
    assert gd.next_date(day, month, gd.LUNAR, start) == expected


def test_lunar_day_itself_is_on_or_after():
    assert gd.next_date(1, 1, gd.LUNAR, D(2027, 2, 6)) == D(2027, 2, 6)
    assert gd.next_date(1, 1, gd.LUNAR, D(2027, 2, 7)) == D(2028, 1, 26)


def test_lunar_year_wraps_into_the_next_solar_year():
    # 23/12 ÂL (ông Táo) of lunar year 2026 falls in January 2027
    assert gd.next_date(23, 12, gd.LUNAR, D(2026, 12, 31)) == D(2027, 1, 30)
    # from the day after Trung thu 2026, the next one is in 2027
    assert gd.next_date(15, 8, gd.LUNAR, D(2026, 9, 26)) == D(2027, 9, 15)


def test_lunar_leap_month_uses_the_regular_month():
    # 2025 has a leap 6th month (6 nhuận): 15/6 ÂL is the regular month's 15th
    assert gd.lunar_date_in_year(15, 6, 2025) == D(2025, 7, 9)
    assert gd.next_date(15, 6, gd.LUNAR, D(2025, 7, 10)) == D(2026, 7, 28)
    # 2023 has a leap 2nd month: 10/3 ÂL comes after it
    assert gd.lunar_date_in_year(10, 3, 2023) == D(2023, 4, 29)


def test_lunar_day_30_of_a_29_day_month_is_its_last_day():
    # the 12th month of lunar year 2026 has 29 days: its last day is the eve of Tết 2027
    assert gd.lunar_date_in_year(30, 12, 2026) == D(2027, 2, 5)
    assert gd.lunar_date_in_year(29, 12, 2026) == D(2027, 2, 5)


@pytest.mark.parametrize(
    ("day", "month", "start", "expected"),
    [
        (1, 1, D(2026, 12, 31), D(2027, 1, 1)),
        (1, 1, D(2027, 1, 1), D(2027, 1, 1)),
        (30, 4, D(2026, 5, 1), D(2027, 4, 30)),
        (2, 9, D(2026, 8, 1), D(2026, 9, 2)),
        (29, 2, D(2027, 1, 1), D(2027, 2, 28)),  # common year
        (29, 2, D(2028, 1, 1), D(2028, 2, 29)),  # leap year
        (29, 2, D(2028, 3, 1), D(2029, 2, 28)),
        (29, 2, D(2100, 1, 1), D(2100, 2, 28)),  # a century is not a leap year
        (29, 2, D(2000, 1, 1), D(2000, 2, 29)),  # unless it is a 400th year
    ],
)
def test_solar_next_date(day, month, start, expected):
    assert gd.next_date(day, month, gd.SOLAR, start) == expected


def test_birthdays_of_leap_day_fall_on_28_february_in_common_years():
    assert gd.anniversary_days(D(2027, 2, 28)) == [(28, 2), (29, 2)]
    assert gd.anniversary_days(D(2028, 2, 28)) == [(28, 2)]
    assert gd.anniversary_days(D(2028, 2, 29)) == [(29, 2)]
    assert gd.anniversary_days(D(2027, 3, 1)) == [(1, 3)]


def test_falls_on():
    assert gd.falls_on(1, 1, gd.LUNAR, D(2027, 2, 6))
    assert not gd.falls_on(1, 1, gd.LUNAR, D(2027, 2, 5))
    assert gd.falls_on(29, 2, gd.SOLAR, D(2027, 2, 28))


@pytest.mark.parametrize(
    ("day", "month", "calendar", "code"),
    [
        (1, 0, gd.SOLAR, "invalid_month"),
        (1, 13, gd.LUNAR, "invalid_month"),
        (0, 1, gd.SOLAR, "invalid_day"),
        (32, 1, gd.SOLAR, "invalid_day"),
        (31, 4, gd.SOLAR, "invalid_day"),
        (30, 2, gd.SOLAR, "invalid_day"),
        (31, 1, gd.LUNAR, "invalid_day"),
        (None, 1, gd.SOLAR, "invalid_day"),
    ],
)
def test_invalid_day_or_month(day, month, calendar, code):
    with pytest.raises(ValueError) as error:
        gd.check_day_month(day, month, calendar)
    assert error.value.args[0] == code
    with pytest.raises(ValueError):
        gd.next_date(day, month, calendar, D(2027, 1, 1))


def test_lunar_30_is_a_valid_day_but_solar_30_february_is_not():
    gd.check_day_month(30, 2, gd.LUNAR)
    gd.check_day_month(29, 2, gd.SOLAR)
