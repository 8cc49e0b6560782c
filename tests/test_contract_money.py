"""The money rule of pi_contracts, without Odoo."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import contract_money
from contract_money import NavSeries, payout_breakdown, payout_with_series, round_vnd

START = datetime.date(2026, 1, 1)
END = datetime.date(2027, 1, 1)


def test_worked_example_from_the_readme():
    # 1.500.000.000 đ for 12 months at 6 %, fee 20 %; NAV 1.0000 → 1.1200 at the end.
    result = payout_breakdown(1_500_000_000, 6, 20, START, END, END, 1.0, 1.12)
    assert result == {
        "principal": 1_500_000_000,
        "days": 365,
        "base_profit": 90_000_000,
        "gross_profit": 180_000_000,
        "excess_profit": 90_000_000,
        "fee": 18_000_000,
        "investor_profit": 162_000_000,
        "payout": 1_662_000_000,
    }
    assert tuple(result) == contract_money.PAYOUT_KEYS


def test_performance_below_base_still_pays_the_base():
    result = payout_breakdown(500_000_000, 6, 10, START, END, END, 1.0, 1.01)
    assert result["base_profit"] == 30_000_000
    assert result["gross_profit"] == 5_000_000
    assert result["excess_profit"] == 0
    assert result["fee"] == 0
    assert result["payout"] == 530_000_000


def test_no_nav_at_start_means_no_gross_profit():
    series = NavSeries([(datetime.date(2026, 2, 1), 1.0), (datetime.date(2026, 12, 1), 2.0)])
    result = payout_with_series(100_000_000, 6, 20, START, END, END, series)
    assert result["gross_profit"] == 0
    assert result["investor_profit"] == result["base_profit"] == 6_000_000


def test_valuation_date_is_capped_at_date_end_and_accepts_iso_strings():
    series = NavSeries([(START, 1.0), (END, 1.2), (datetime.date(2027, 6, 1), 5.0)])
    at_end = payout_with_series(100_000_000, 6, 20, START, END, END, series)
    later = payout_with_series(100_000_000, 6, 20, START, END, "2027-09-30", series)
    assert later == at_end
    assert later["days"] == 365
    assert later["gross_profit"] == 20_000_000


def test_nav_series_takes_latest_value_on_or_before():
    series = NavSeries([("2026-01-08", 1.01), ("2026-01-01", 1.0), ("2026-01-15", 1.02)])
    assert series.on(datetime.date(2025, 12, 31)) is None
    assert series.on(datetime.date(2026, 1, 1)) == 1.0
    assert series.on(datetime.date(2026, 1, 14)) == 1.01
    assert series.on(datetime.date(2030, 1, 1)) == 1.02


def test_round_half_up_to_whole_dong():
    assert round_vnd(Decimal("2.5")) == 3
    assert round_vnd(Decimal("3.5")) == 4  # Python's round() is half-even: round(2.5) == 2
    assert round_vnd(Decimal("2.4999")) == 2
    assert round_vnd(Decimal("-2.5")) == -3
    # A half-đồng base profit: 25 đ at 2 % for a year is 0.5 đ, paid as 1 đ.
    assert payout_breakdown(25, 2, 0, START, END, END)["base_profit"] == 1


def test_bad_input_is_refused():
    # Each refusal names its rule by a code, which the Odoo models word for the user.
    for code, args in (("principal", (-1, 6, 10, START, END, END)), ("fee_rate", (100, 6, 101, START, END, END)),
                       ("base_rate", (100, -1, 10, START, END, END)), ("date", (100, 6, 10, START, END, "01/01/2027")),
                       ("nav", (100, 6, 10, START, END, END, Decimal(1), Decimal(-1)))):
        with pytest.raises(contract_money.MoneyRuleError) as caught:
            payout_breakdown(*args)
        assert caught.value.code == code


navs = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10"), places=4)
contracts = st.fixed_dictionaries({
    "principal": st.integers(min_value=0, max_value=100_000_000_000),
    "base_rate": st.decimals(min_value=0, max_value=30, places=2),
    "fee_rate": st.decimals(min_value=0, max_value=100, places=2),
    "date_start": st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 1, 1)),
    "term_days": st.integers(min_value=1, max_value=3 * 366),
    "offset_days": st.integers(min_value=-30, max_value=5 * 366),
    "nav_start": st.one_of(st.none(), navs),
    "nav_end": navs,
})


def _value(c):
    date_end = c["date_start"] + datetime.timedelta(days=c["term_days"])
    on_date = c["date_start"] + datetime.timedelta(days=c["offset_days"])
    result = payout_breakdown(c["principal"], c["base_rate"], c["fee_rate"], c["date_start"], date_end, on_date,
                              c["nav_start"], c["nav_end"] if c["nav_start"] else None)
    return result, date_end, on_date


@given(contracts)
def test_investor_profit_plus_fee_is_the_larger_of_base_and_gross(c):
    result, _end, _on = _value(c)
    assert result["investor_profit"] + result["fee"] == max(result["base_profit"], result["gross_profit"])


@given(contracts)
def test_base_is_guaranteed_and_fee_never_negative(c):
    result, _end, _on = _value(c)
    assert result["investor_profit"] >= result["base_profit"] >= 0
    assert result["fee"] >= 0
    assert result["fee"] <= result["excess_profit"]
    assert result["payout"] == result["principal"] + result["investor_profit"]


@given(contracts)
def test_every_amount_is_whole_dong_and_keys_are_exact(c):
    result, _end, _on = _value(c)
    assert tuple(result) == contract_money.PAYOUT_KEYS
    assert all(type(value) is int for value in result.values())  # noqa: E721 - bool/float must not pass


@given(contracts)
def test_base_profit_is_the_exact_rate_rounded_half_up(c):
    result, _end, _on = _value(c)
    exact = Decimal(c["principal"]) * c["base_rate"] * result["days"] / Decimal(36500)
    assert abs(Decimal(result["base_profit"]) - exact) <= Decimal("0.5")


@given(contracts, st.integers(min_value=1, max_value=2000))
def test_valuing_after_date_end_is_capped(c, extra):
    result, date_end, _on = _value(c)
    c_end = dict(c, offset_days=c["term_days"])
    c_late = dict(c, offset_days=c["term_days"] + extra)
    assert _value(c_end)[0] == _value(c_late)[0]
    assert _value(c_late)[0]["days"] == (date_end - c["date_start"]).days
    assert result["days"] <= (date_end - c["date_start"]).days
