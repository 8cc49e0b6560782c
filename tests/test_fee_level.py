"""Fee level names that state their rate follow it (pi_contracts/tools/fee_level.py)."""

import pytest

from fee_level import format_rate, rename_for_rate


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("Mức phí 10%", 10, 12, "Mức phí 12%"),
    ("Mức phí 10 %", 10, 12.5, "Mức phí 12,5 %"),
    ("Phí 6,5 % (từ 1.000.000.000 đ)", 6.5, 7.25, "Phí 7,25 % (từ 1.000.000.000 đ)"),
    ("Fee 6.5%", 6.5, 7, "Fee 7%"),
    ("Mức phí 10% cho khoản 10%", 10, 12, "Mức phí 12% cho khoản 10%"),
])
def test_a_name_stating_the_old_rate_follows_the_new_one(name, old, new, expected):
    assert rename_for_rate(name, old, new) == expected


@pytest.mark.parametrize(("name", "old", "new"), [
    ("Nhà đầu tư lớn", 10, 12),       # a name of its own
    ("Mức phí 20%", 10, 12),          # states another rate
    ("Mức phí 110%", 10, 12),         # 10 inside another number
    ("Mức phí 10%", 10, 10),          # the rate did not change
    ("", 10, 12),
])
def test_other_names_are_kept(name, old, new):
    assert rename_for_rate(name, old, new) is None


def test_a_whole_name_takes_the_language_decimal_point():
    assert rename_for_rate("Fee 10%", 10, 12.5, ".") == "Fee 12.5%"
    assert format_rate(12.0) == "12"
    assert format_rate(6.25) == "6,25"
