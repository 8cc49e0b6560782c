from unittest.mock import patch

from odoo.tests import tagged

from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiSegment(PiCrmCommon):
    """The contracts addon feeds ``_pi_contract_stats``; here it is simulated."""

    def _with_contracts(self, partner, counts, renewals=0, principal=0):
        stats = {partner.id: {"counts": counts, "renewal_count": renewals, "total_principal": principal}}

        def fake_stats(partners):
            return {p.id: stats.get(p.id, {"counts": {}, "renewal_count": 0, "total_principal": 0}) for p in partners}

        with patch.object(type(self.env["res.partner"]), "_pi_contract_stats", fake_stats):
            partner._pi_recompute_segment()
        return partner.pi_segment

    def test_segment_follows_leads_and_contracts(self):
        self.env["ir.config_parameter"].set_param("pi_crm.loyal_min_renewals", 2)
        self.env["ir.config_parameter"].set_param("pi_crm.loyal_min_principal", 2_000_000_000)
        partner = self.env["res.partner"].create({"name": "Lý Thị Thu", "user_id": self.consultant_lan.id})
        self.assertEqual(partner.pi_segment, "raw")
        self.env["crm.lead"].create({"name": "Quan tâm BCC", "partner_id": partner.id})
        self.assertEqual(partner.pi_segment, "lead")
        self.assertEqual(self._with_contracts(partner, {"draft": 1}), "lead")
        # contract activated -> member
        self.assertEqual(self._with_contracts(partner, {"active": 1}, principal=500_000_000), "member")
        # renewed twice -> loyal
        self.assertEqual(self._with_contracts(partner, {"active": 1, "renewed": 2}, renewals=2), "loyal")
        # every contract settled -> former customer
        self.assertEqual(self._with_contracts(partner, {"settled": 1, "renewed": 2}, renewals=2), "former")

    def test_loyalty_setting_reclassifies_members(self):
        """Settings › Passion Investment: saving a new loyalty rule re-ranks the
        members at once (res.config.settings.set_values), no contract change needed."""
        self.env["ir.config_parameter"].set_param("pi_crm.loyal_min_renewals", 0)
        self.env["ir.config_parameter"].set_param("pi_crm.loyal_min_principal", 0)
        partner = self.env["res.partner"].create({"name": "Lý Văn Tâm"})
        stats = {"counts": {"active": 1}, "renewal_count": 0, "total_principal": 3_000_000_000}

        def fake_stats(partners):
            return {p.id: stats if p == partner else {"counts": {}} for p in partners}

        with patch.object(type(self.env["res.partner"]), "_pi_contract_stats", fake_stats):
            partner._pi_recompute_segment()
            self.assertEqual(partner.pi_segment, "member")
            self.env["res.config.settings"].create({"pi_loyal_min_principal": 2_000_000_000}).execute()
            partner.invalidate_recordset(["pi_segment"])
            self.assertEqual(partner.pi_segment, "loyal", "3 billion invested meets the new rule")
            self.env["res.config.settings"].create({"pi_loyal_min_principal": 5_000_000_000}).execute()
            partner.invalidate_recordset(["pi_segment"])
            self.assertEqual(partner.pi_segment, "member", "a stricter rule takes the loyalty back")
