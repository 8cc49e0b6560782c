"""The consultants' bonus arithmetic (pi_bonus/tools/bonus_amount.py) and write marker."""

import datetime

import pytest

from bonus_amount import bonus_amount, format_vnd, month_end, month_start, pick_rule, previous_month_start
from bonus_write import action_context, is_action_write

RULES = [("standard", 0), ("large", 1_000_000_000), ("very large", 5_000_000_000)]


@pytest.mark.parametrize(("principal", "rate", "expected"), [
    (500_000_000, 0.5, 2_500_000),
    (1_500_000_000, 0.8, 12_000_000),
    (333_333_333, 0.5, 1_666_667),      # 1.666.666,665 rounds half up
    (100_000_001, 0.5, 500_000),        # 500.000,005: below the half
    (100_000_000, 0.35, 350_000),       # 0.35 is not exact as a float
    (1, 50, 1),                         # 0,5 đ rounds up
    (0, 1, 0),
    (12_345_678_901, 0, 0),
])
def test_the_amount_is_whole_dong_rounded_half_up(principal, rate, expected):
    amount = bonus_amount(principal, rate)
    assert amount == expected
    assert isinstance(amount, int)


def test_a_negative_principal_or_rate_is_refused():
    with pytest.raises(ValueError):
        bonus_amount(-1, 0.5)
    with pytest.raises(ValueError):
        bonus_amount(1, -0.5)


@pytest.mark.parametrize(("principal", "expected"), [
    (0, "standard"),
    (999_999_999, "standard"),
    (1_000_000_000, "large"),           # the threshold itself belongs to the higher rule
    (4_999_999_999, "large"),
    (5_000_000_000, "very large"),
    (90_000_000_000, "very large"),
])
def test_the_rule_is_the_highest_minimum_not_above_the_principal(principal, expected):
    assert pick_rule(RULES, principal) == expected
    assert pick_rule(list(reversed(RULES)), principal) == expected


def test_no_rule_applies_below_every_minimum():
    assert pick_rule([("large", 1_000_000_000)], 500_000_000) is None
    assert pick_rule([], 500_000_000) is None


def test_on_a_tie_the_first_rule_given_wins():
    assert pick_rule([("older", 0), ("newer", 0)], 10) == "older"


@pytest.mark.parametrize(("day", "start", "end", "previous"), [
    (datetime.date(2026, 1, 15), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), datetime.date(2025, 12, 1)),
    (datetime.date(2028, 2, 29), datetime.date(2028, 2, 1), datetime.date(2028, 2, 29), datetime.date(2028, 1, 1)),
    (datetime.date(2026, 12, 31), datetime.date(2026, 12, 1), datetime.date(2026, 12, 31),
     datetime.date(2026, 11, 1)),
])
def test_months(day, start, end, previous):
    assert (month_start(day), month_end(day), previous_month_start(day)) == (start, end, previous)


@pytest.mark.parametrize(("amount", "text"), [
    (12_000_000, "12.000.000 đ"), (0, "0 đ"), (999, "999 đ"), (1_666_666.5, "1.666.667 đ"),
    (-2_500_000, "-2.500.000 đ"),
])
def test_amounts_read_the_vietnamese_way(amount, text):
    assert format_vnd(amount) == text


def test_only_the_marker_object_itself_opens_the_guard():
    assert is_action_write(action_context())
    assert not is_action_write({"pi_bonus_action_write": True})
    assert not is_action_write({})
