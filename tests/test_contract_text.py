"""Text rules of the contract documents (pi_contracts/tools/contract_text.py)."""

import pytest

from contract_text import one_line, rate_decimals


@pytest.mark.parametrize(("rate", "decimals"), [
    (6, 0), (6.0, 0), (6.5, 1), (6.25, 2), (0.125, 3), (0, 0), (None, 0), (6.499999999, 1), (12.00001, 0),
])
def test_rate_decimals_drop_trailing_zeros(rate, decimals):
    assert rate_decimals(rate) == decimals


def test_one_line_skips_empty_parts():
    assert one_line("12 Lý Thường Kiệt", "", None, "  ", "Hà Nội ") == "12 Lý Thường Kiệt, Hà Nội"
    assert one_line() == ""
    assert one_line("54 Liễu Giai", "Ba Đình", "Hà Nội", "hà nội", "Việt Nam") == \
        "54 Liễu Giai, Ba Đình, Hà Nội, Việt Nam"
