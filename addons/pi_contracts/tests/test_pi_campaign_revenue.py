from odoo.tests import tagged

from .common import PiContractsCommon


@tagged("pi_campaign")
class TestPiCampaignRevenue(PiContractsCommon):
    """Issue 15 item 4: a campaign's revenue is the principal of the contracts of
    the customers whose lead came from it, signed from the lead's creation on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Campaign = cls.env["utm.campaign"]
        cls.campaign = Campaign.with_user(cls.manager).create(
            {"title": "Hội thảo BCC", "pi_expected_revenue": 1_000_000_000, "pi_actual_cost": 30_000_000})
        cls.other_campaign = Campaign.create({"title": "Fanpage tháng 1"})
        Lead = cls.env["crm.lead"]
        cls.lead_hung = Lead.create({"name": "Hùng hỏi BCC", "partner_id": cls.investor_hung.id,
                                     "campaign_id": cls.campaign.id, "user_id": cls.consultant_lan.id})
        cls.lead_hung_again = Lead.create({"name": "Hùng hỏi lại", "partner_id": cls.investor_hung.id,
                                           "campaign_id": cls.campaign.id, "user_id": cls.consultant_lan.id})
        cls.lead_tuan = Lead.create({"name": "Tuấn", "partner_id": cls.investor_tuan.id,
                                     "campaign_id": cls.campaign.id, "user_id": cls.consultant_minh.id})
        # Hùng's leads came before his contract (01/01/2026); Tuấn's lead after his own
        cls.env.cr.execute("UPDATE crm_lead SET create_date = '2025-12-15' WHERE id IN %s",
                           [tuple((cls.lead_hung | cls.lead_hung_again).ids)])
        cls.env.cr.execute("UPDATE crm_lead SET create_date = '2026-06-01' WHERE id = %s", [cls.lead_tuan.id])
        cls.env.invalidate_all()

    def test_revenue_from_the_campaign_contracts(self):
        self.assertEqual(self.campaign.pi_revenue, 0, "drafts are not revenue")
        (self.contract_lan | self.contract_minh).action_activate()
        self.assertEqual(self.campaign.pi_revenue, 500_000_000,
                         "Hùng's contract once (two leads); Tuấn signed before his lead came")
        self.assertEqual(self.campaign.pi_revenue_gap, 500_000_000 - 1_000_000_000)
        self.assertEqual(self.campaign.pi_lead_count, 3)
        self.assertEqual(self.campaign.pi_cost_per_lead, 10_000_000)
        self.assertEqual(self.other_campaign.pi_revenue, 0)
        self.contract_lan.action_cancel()
        self.assertEqual(self.campaign.pi_revenue, 0, "a cancelled contract is no revenue")

    def test_revenue_in_the_report(self):
        self.contract_lan.action_activate()
        groups = self.env["utm.campaign"].with_user(self.manager).read_group(
            [("id", "in", (self.campaign | self.other_campaign).ids)], ["pi_revenue:sum", "pi_actual_cost:sum"], [])
        self.assertEqual(groups[0]["pi_revenue"], 500_000_000)
        self.assertEqual(groups[0]["pi_actual_cost"], 30_000_000)
