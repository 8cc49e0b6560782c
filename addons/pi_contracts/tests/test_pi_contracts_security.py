from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import PiContractsCommon


@tagged("pi_contracts")
class TestPiContractsSecurity(PiContractsCommon):
    @users("pc_tv_lan")
    def test_consultant_sees_only_own_contracts(self):
        Contract = self.env["pi.investment.contract"]
        ids = (self.contract_lan | self.contract_minh).ids
        self.assertEqual(Contract.search([("id", "in", ids)]).ids, self.contract_lan.ids)
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_minh.id).read(["principal"])
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_minh.id).compute_payout("2026-06-01")

    @users("pc_tv_lan")
    def test_consultant_cannot_change_rates(self):
        contract = self.env["pi.investment.contract"].browse(self.contract_lan.id)
        with self.assertRaises(AccessError):
            contract.write({"base_rate": 9.0})
        with self.assertRaises(AccessError):
            contract.write({"fee_rate": 0.0})
        with self.assertRaises(AccessError):
            contract.write({"fee_tier_id": self.tier_10.id})
        with self.assertRaises(AccessError):
            self.env["pi.investment.contract"].create({
                "partner_id": self.investor_hung.id, "product_id": self.product.id,
                "principal": 100_000_000, "base_rate": 12.0})
        contract.write({"base_rate": self.base_rate, "note": "<p>ok</p>"})  # the form sends unchanged values back
        self.assertEqual(contract.base_rate, self.base_rate)

    @users("pc_tv_lan")
    def test_consultant_cannot_change_the_policy_or_fee_levels(self):
        with self.assertRaises(AccessError):
            self.env["pi.financial.policy"].browse(self.policy.id).write({"base_rate": 9.0})
        with self.assertRaises(AccessError):
            self.env["pi.fee.tier"].browse(self.tier_20.id).write({"rate": 1.0})
        self.assertEqual(self.env["pi.financial.policy"].browse(self.policy.id).base_rate, self.base_rate)

    @users("pc_ql_ha")
    def test_manager_sees_all_but_rates_stay_admin_only(self):
        Contract = self.env["pi.investment.contract"]
        ids = (self.contract_lan | self.contract_minh).ids
        self.assertEqual(len(Contract.search([("id", "in", ids)])), 2)
        Contract.browse(self.contract_minh.id).write({"scanned_original": True})
        with self.assertRaises(AccessError):
            self.env["pi.financial.policy"].browse(self.policy.id).write({"base_rate": 9.0})
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_minh.id).write({"base_rate": 9.0})

    def test_admin_changes_are_tracked(self):
        # Start from an empty precommit, as a new request does: the tracking
        # callbacks then run in the admin's environment, so the admin is the author.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.policy.with_user(self.pi_admin).write({"base_rate": self.base_rate + 0.5})
        self.tier_20.with_user(self.pi_admin).write({"rate": 15.0})
        self.contract_lan.with_user(self.pi_admin).write({"base_rate": 7.0})
        self.assertEqual(self.contract_lan.base_rate, 7.0)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracking = self.policy.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "base_rate")
        self.assertEqual((tracking.old_value_float, tracking.new_value_float), (self.base_rate, self.base_rate + 0.5))
        self.assertEqual(tracking.mail_message_id.author_id, self.pi_admin.partner_id)
        tier_tracking = self.tier_20.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "rate")
        self.assertEqual((tier_tracking.old_value_float, tier_tracking.new_value_float), (20.0, 15.0))
