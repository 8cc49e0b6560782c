"""The e-mail shape check staff forms and the API share, without Odoo."""

import pytest

import email_address


@pytest.mark.parametrize("value", [
    "hanh.do@example.vn",
    "Hanh.Do@Example.VN",
    "Đỗ Thu Hạnh <hanh.do@example.vn>",
    '"Đỗ, Thu Hạnh" <hanh.do@example.vn>',
    "hanh.do@example.vn, tuan@example.com",
    "hanh.do@example.vn; tuan@example.com",
    "hanh.do@example.vn,",
    "",
    None,
    "   ",
])
def test_valid_values(value):
    assert email_address.invalid_addresses(value) == []


@pytest.mark.parametrize("value", [
    "hanh.do@@example",
    "hanh.do@@example.vn",
    "hanh.do@example",
    "hanh do@example.vn",
    "@example.vn",
    "hanh.do",
    "Hạnh <hanh.do@@example>",
    "Hạnh <>",
    ",",
])
def test_invalid_values(value):
    assert email_address.invalid_addresses(value) == [value.strip()]


def test_only_the_faulty_addresses_are_named():
    assert email_address.invalid_addresses("hanh.do@example.vn, tuan@@example, lan@") == ["tuan@@example", "lan@"]
