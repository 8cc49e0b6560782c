"""Periods, short amounts and SMS length of the investment statements
(pi_contracts/tools/statement_period.py, compact_amount.py, sms_segments.py)."""

import datetime

import pytest

from compact_amount import compact_vnd
from sms_segments import encoding, length, segments
from statement_period import (
    days_to_maturity,
    due_quarterly_date_to,
    due_weekly_date_to,
    is_quarter_end,
    opening_date,
    period_start,
    quarter_start,
)
from vn_text import strip_diacritics

D = datetime.date


@pytest.mark.parametrize(("amount", "text", "plain"), [
    (1_650_000_000, "1,65 tỷ", "1,65 ty"),
    (1_500_000_000, "1,5 tỷ", "1,5 ty"),
    (1_655_000_000, "1,66 tỷ", "1,66 ty"),  # half up
    (162_500_000, "162,5 triệu", "162,5 trieu"),
    (3_150_000, "3,15 triệu", "3,15 trieu"),
    (850_000, "850 nghìn", "850 nghin"),
    (500, "500 đ", "500 d"),
    (0, "0 đ", "0 d"),
    (None, "0 đ", "0 d"),
    (-3_150_000, "-3,15 triệu", "-3,15 trieu"),
    (999_999_999, "1 tỷ", "1 ty"),  # rounding goes up a unit, never "1.000 triệu"
    (999_994_999, "999,99 triệu", "999,99 trieu"),
    (1_234_500_000_000, "1.234,5 tỷ", "1.234,5 ty"),
])
def test_compact_vnd(amount, text, plain):
    assert compact_vnd(amount) == text
    assert compact_vnd(amount, ascii_only=True) == plain


def test_sms_segments_gsm_and_unicode():
    assert encoding("Kinh gui Anh Hung") == "gsm"
    assert encoding("Kính gửi Anh Hùng") == "ucs2"
    assert segments("") == 0
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("ạ" * 70) == 1
    assert segments("ạ" * 134) == 2
    assert segments("ạ" * 135) == 3
    assert length("{}") == 4  # extension characters take two


def test_weekly_period():
    assert period_start("weekly", D(2026, 11, 29)) == D(2026, 11, 23)
    assert opening_date(D(2026, 11, 23)) == D(2026, 11, 22)


def test_quarterly_period():
    assert period_start("quarterly", D(2026, 12, 31)) == D(2026, 10, 1)
    assert period_start("quarterly", D(2026, 3, 31)) == D(2026, 1, 1)
    assert quarter_start(D(2026, 5, 15)) == D(2026, 4, 1)
    assert [is_quarter_end(day) for day in (D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31),
                                            D(2026, 6, 29), D(2026, 4, 30))] == [True] * 4 + [False] * 2
    with pytest.raises(ValueError):
        period_start("quarterly", D(2026, 11, 29))
    with pytest.raises(ValueError):
        period_start("monthly", D(2026, 11, 30))


def test_due_weekly_on_the_chosen_weekday_and_two_days_after():
    monday = D(2026, 11, 30)
    assert due_weekly_date_to(monday, 0) == D(2026, 11, 29)
    assert due_weekly_date_to(monday + datetime.timedelta(days=2), 0) == D(2026, 11, 29)  # a late server
    assert due_weekly_date_to(monday + datetime.timedelta(days=3), 0) is None
    # Friday chosen: on Friday 04/12 the week 27/11–03/12
    assert due_weekly_date_to(D(2026, 12, 4), 4) == D(2026, 12, 3)
    assert due_weekly_date_to(D(2026, 12, 3), 4) is None


def test_due_quarterly_after_the_quarter():
    assert due_quarterly_date_to(D(2027, 1, 1)) == D(2026, 12, 31)
    assert due_quarterly_date_to(D(2027, 1, 3)) == D(2026, 12, 31)
    assert due_quarterly_date_to(D(2027, 1, 4)) is None
    assert due_quarterly_date_to(D(2026, 11, 30)) is None


def test_days_to_maturity():
    assert days_to_maturity(D(2027, 1, 1), D(2026, 11, 29)) == 33
    assert days_to_maturity(D(2026, 11, 1), D(2026, 11, 29)) == 0
    assert days_to_maturity(None, D(2026, 11, 29)) == 0


# The longest realistic statement SMS: the shipped Vietnamese text with the
# longest salutation, the widest week and large figures.
LONGEST_SMS = ("Kính gửi Chị Phượng: sao kê 28/12-03/01, giá trị 123,46 tỷ, lãi lũy kế 12,35 tỷ "
               "(kỳ này 999,99 triệu). Chi tiết: email, cổng NĐT.")


def test_longest_statement_sms_fits_two_segments():
    assert segments(LONGEST_SMS) <= 2  # Unicode on
    plain = strip_diacritics(LONGEST_SMS)  # Unicode off: what PI's gateway sends
    assert encoding(plain) == "gsm"
    assert segments(plain) <= 2
