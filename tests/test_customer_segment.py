import pytest

import customer_segment as cs


def test_raw_contact_without_lead_or_contract():
    assert cs.segment(False, {}) == cs.RAW


@pytest.mark.parametrize(
    "counts", [{}, {"draft": 1}, {"cancelled": 2}, {"draft": 1, "cancelled": 1}]
)
def test_lead_until_a_contract_is_signed(counts):
    assert cs.segment(True, counts) == cs.LEAD


def test_draft_contract_alone_makes_a_lead():
    assert cs.segment(False, {"draft": 1}) == cs.LEAD


@pytest.mark.parametrize("counts", [{"active": 1}, {"matured": 1}, {"active": 1, "settled": 3}])
def test_member_with_a_live_contract(counts):
    assert cs.segment(True, counts) == cs.MEMBER


def test_former_when_every_signed_contract_is_settled():
    assert cs.segment(True, {"settled": 2, "renewed": 1, "cancelled": 1}) == cs.FORMER


def test_member_becomes_former_on_settlement():
    assert cs.segment(False, {"active": 1}) == cs.MEMBER
    assert cs.segment(False, {"settled": 1}) == cs.FORMER


@pytest.mark.parametrize(
    ("renewals", "principal", "expected"),
    [(0, 0, cs.MEMBER), (2, 0, cs.LOYAL), (1, 0, cs.MEMBER), (0, 1_000_000_000, cs.LOYAL), (0, 999_999_999, cs.MEMBER)],
)
def test_loyal_members(renewals, principal, expected):
    assert cs.segment(True, {"active": 1}, renewals, principal, 2, 1_000_000_000) == expected


def test_loyalty_criteria_can_be_disabled():
    assert cs.segment(True, {"active": 1}, 50, 10**12, 0, 0) == cs.MEMBER


def test_a_former_customer_is_never_loyal():
    assert cs.segment(True, {"settled": 1}, 5, 10**12, 1, 1) == cs.FORMER
