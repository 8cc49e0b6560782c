"""Customer lifecycle segment: raw, lead, member, loyal, former.

Pure Python: imports nothing from odoo.

- ``raw``: nothing but a contact (no lead, no contract);
- ``lead``: has leads, or only draft contracts, but no signed contract;
- ``member``: at least one live contract (active, or matured and not yet settled);
- ``loyal``: a member who renewed at least ``loyal_min_renewals`` times or whose
  total principal reached ``loyal_min_principal`` (0 disables a criterion);
- ``former``: had signed contracts and all of them are settled (or renewed into
  a contract that is settled too); no live contract left.

Cancelled contracts never count: a customer whose only contract was cancelled
is still a lead.
"""

RAW = "raw"
LEAD = "lead"
MEMBER = "member"
LOYAL = "loyal"
FORMER = "former"

LIVE_STATES = ("active", "matured")
CLOSED_STATES = ("settled", "renewed")


def is_loyal(renewal_count, total_principal, loyal_min_renewals=0, loyal_min_principal=0):
    """Whether a member meets one of the loyalty criteria (0 disables one)."""
    if loyal_min_renewals and renewal_count >= loyal_min_renewals:
        return True
    if loyal_min_principal and total_principal >= loyal_min_principal:
        return True
    return False


def segment(
    has_leads,
    contract_counts=None,
    renewal_count=0,
    total_principal=0,
    loyal_min_renewals=0,
    loyal_min_principal=0,
):
    """Return the segment code of one customer.

    :param bool has_leads: the customer has at least one lead (any state)
    :param dict contract_counts: number of contracts per state
        (draft, active, matured, settled, renewed, cancelled); missing = 0
    :param int renewal_count: how many times the customer renewed a contract
    :param total_principal: sum of the principal of the signed contracts
    :param int loyal_min_renewals: renewals that make a member loyal (0: off)
    :param loyal_min_principal: total principal that makes a member loyal (0: off)
    """
    counts = contract_counts or {}
    live = sum(int(counts.get(state) or 0) for state in LIVE_STATES)
    closed = sum(int(counts.get(state) or 0) for state in CLOSED_STATES)
    if live:
        if is_loyal(renewal_count, total_principal, loyal_min_renewals, loyal_min_principal):
            return LOYAL
        return MEMBER
    if closed:
        return FORMER
    if has_leads or counts.get("draft"):
        return LEAD
    return RAW
