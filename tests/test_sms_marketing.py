"""Decree 91/2020 rules for marketing SMS: window, [QC] wrapping, per-day cap."""

import datetime

import pytest

from sms_marketing import (
    DEFAULT_WINDOW,
    in_window,
    next_opening,
    parse_hours,
    release_time,
    split_by_cap,
    wrap,
)

T = datetime.time
D = datetime.datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:00-22:00", (T(7), T(22))),
        (" 8:30 - 21:15 ", (T(8, 30), T(21, 15))),
        ("00:00-24:00", (T(0), T(23, 59, 59))),
        ("", DEFAULT_WINDOW),
        (None, DEFAULT_WINDOW),
        ("22:00-07:00", DEFAULT_WINDOW),  # across midnight: refused, the night stays closed
        ("25:00-26:00", DEFAULT_WINDOW),
        ("7h-22h", DEFAULT_WINDOW),
        ("07:60-22:00", DEFAULT_WINDOW),
    ],
)
def test_parse_hours(text, expected):
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    ("now", "inside"),
    [
        (D(2026, 12, 1, 6, 59, 59), False),
        (D(2026, 12, 1, 7, 0), True),
        (D(2026, 12, 1, 21, 59, 59), True),
        (D(2026, 12, 1, 22, 0), False),
        (D(2026, 12, 1, 23, 30), False),
    ],
)
def test_in_window(now, inside):
    assert in_window(now, DEFAULT_WINDOW) is inside


def test_next_opening_before_and_after():
    assert next_opening(D(2026, 12, 1, 5, 0), DEFAULT_WINDOW) == D(2026, 12, 1, 7, 0)
    assert next_opening(D(2026, 12, 1, 22, 0), DEFAULT_WINDOW) == D(2026, 12, 2, 7, 0)
    assert next_opening(D(2026, 12, 31, 23, 0), DEFAULT_WINDOW) == D(2027, 1, 1, 7, 0)
    # inside the window the next opening is tomorrow's (a capped SMS waits for it)
    assert next_opening(D(2026, 12, 1, 10, 0), DEFAULT_WINDOW) == D(2026, 12, 2, 7, 0)


def test_release_time():
    assert release_time(D(2026, 12, 1, 10, 0), DEFAULT_WINDOW) is None
    assert release_time(D(2026, 12, 1, 23, 0), DEFAULT_WINDOW) == D(2026, 12, 2, 7, 0)


def test_wrap_prefix_and_opt_out():
    text = wrap("Anh Minh oi, PI co uu dai", "Tu choi QC soan TC gui 8079")
    assert text == "[QC] Anh Minh oi, PI co uu dai\nTu choi QC soan TC gui 8079"
    assert text.startswith("[QC]") and text.endswith("8079")


def test_wrap_is_idempotent():
    once = wrap("Uu dai thang 12", "Tu choi: TC")
    assert wrap(once, "Tu choi: TC") == once
    assert wrap("[QC] da co tien to", "TC") == "[QC] da co tien to\nTC"


def test_wrap_empty_and_without_opt_out():
    assert wrap("", "TC") == "[QC]\nTC"
    assert wrap("  Noi dung  ", "") == "[QC] Noi dung"


def test_split_by_cap_counts_what_was_sent_today():
    numbers = ["+841", "+842", "+841", "+841", "+842"]
    send, wait = split_by_cap(numbers, {"+841": 1}, cap=3)
    assert send == [0, 1, 2, 4]
    assert wait == [3]


def test_split_by_cap_full_number_waits_entirely():
    send, wait = split_by_cap(["+841", "+841"], {"+841": 3}, cap=3)
    assert (send, wait) == ([], [0, 1])


def test_split_by_cap_fourth_of_the_day_waits():
    send, wait = split_by_cap(["+841"] * 4, {}, cap=3)
    assert (send, wait) == ([0, 1, 2], [3])
