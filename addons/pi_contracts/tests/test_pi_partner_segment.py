from .common import PiContractsCommon


class TestPiPartnerSegment(PiContractsCommon):
    """The customer's lifecycle segment follows their contracts."""

    def test_activation_makes_a_member_and_settlement_a_former_customer(self):
        investor = self.investor_hung
        self.assertIn(investor.pi_segment, ("raw", "lead"), "a draft contract alone is no membership")
        self.contract_lan.action_activate()
        self.assertEqual(investor.pi_segment, "member")
        self.contract_lan._settle(self.start.replace(month=6), "settled")
        self.assertEqual(investor.pi_segment, "former")

    def test_cancelled_contract_never_makes_a_member(self):
        self.contract_minh.action_cancel()
        self.assertNotIn(self.investor_tuan.pi_segment, ("member", "loyal", "former"))

    def test_large_investor_is_loyal_by_the_configured_rule(self):
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.loyal_min_principal", 1_000_000_000)
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.loyal_min_renewals", 0)
        self.contract_minh.action_activate()
        self.investor_tuan._pi_recompute_segment()
        self.assertEqual(self.investor_tuan.pi_segment, "loyal")
        self.contract_lan.action_activate()
        self.investor_hung._pi_recompute_segment()
        self.assertEqual(self.investor_hung.pi_segment, "member", "500 triệu is under the 1 tỷ rule")
