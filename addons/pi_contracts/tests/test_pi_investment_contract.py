import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.pi_contracts.tools import contract_money

from .common import PiContractsCommon

END = datetime.date(2027, 1, 1)


@tagged("pi_contracts")
class TestPiInvestmentContract(PiContractsCommon):
    def test_new_contract_defaults(self):
        contract = self.contract_lan
        self.assertTrue(contract.name.startswith("HD/"))
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.user_id, self.consultant_lan, "the investor's salesperson is the consultant")
        self.assertEqual(contract.date_end, END, "12 months after 01/01/2026")
        self.assertEqual(contract.term_months, 12)
        self.assertEqual(contract.base_rate, self.policy.base_rate)
        self.assertEqual(contract.fee_tier_id, self.tier_20)
        self.assertEqual(self.contract_minh.fee_tier_id, self.tier_10, "1.5 tỷ reaches the 10 % level")
        self.assertEqual(self.contract_minh.fee_rate, 10.0)
        self.assertEqual(contract.principal_in_words, "Năm trăm triệu đồng")
        self.assertEqual(contract.stage_id, self.env["pi.contract.stage"].search([], limit=1))

    def test_form_fills_consultant_term_and_level(self):
        with Form(self.env["pi.investment.contract"].with_user(self.consultant_lan)) as form:
            form.partner_id = self.investor_hung
            form.product_id = self.product
            form.principal = 2_000_000_000
            form.date_start = self.start
            self.assertEqual(form.user_id, self.consultant_lan)
            self.assertEqual(form.date_end, END)
            self.assertEqual(form.fee_tier_id, self.tier_10)
        self.assertEqual(form.record.fee_rate, 10.0)

    @freeze_time("2026-01-02")
    def test_activate_snapshots_rates_and_launches_care_plan(self):
        self.policy.base_rate = 7.0
        self.tier_20.rate = 25.0
        self.contract_lan.with_user(self.consultant_lan).action_activate()
        contract = self.contract_lan
        self.assertEqual(contract.state, "active")
        self.assertEqual((contract.base_rate, contract.fee_rate), (7.0, 25.0))
        activities = contract.activity_ids.sorted("date_deadline")
        self.assertEqual(activities.mapped("summary"), ["Call day 5", "Call day 20", "Call day 90"])
        self.assertEqual(activities.user_id, self.consultant_lan)
        self.assertEqual(activities.mapped("date_deadline"), [self.start + datetime.timedelta(days=day)
                                                             for day in (5, 20, 90)])

    def test_rate_change_after_activation_leaves_payout_unchanged(self):
        self.contract_lan.action_activate()
        before = self.contract_lan.compute_payout(END)
        rates = (self.contract_lan.base_rate, self.contract_lan.fee_rate)
        self.policy.with_user(self.pi_admin).base_rate = 8.0
        self.tier_20.with_user(self.pi_admin).rate = 50.0
        self.env.invalidate_all()
        self.assertEqual((self.contract_lan.base_rate, self.contract_lan.fee_rate), rates)
        self.assertEqual(self.contract_lan.compute_payout(END), before)

    def test_compute_payout_follows_the_money_rule(self):
        self.contract_lan.action_activate()
        payout = self.contract_lan.compute_payout("2027-01-01")
        self.assertEqual(payout, {
            "principal": 500_000_000, "days": 365, "base_profit": 30_000_000, "gross_profit": 60_000_000,
            "excess_profit": 30_000_000, "fee": 6_000_000, "investor_profit": 54_000_000, "payout": 554_000_000,
        })
        self.assertEqual(self.contract_lan.compute_payout("2028-06-30"), payout, "capped at the end date")
        mid = self.contract_lan.compute_payout(datetime.date(2026, 7, 2))
        self.assertEqual(mid["days"], 182)
        self.assertEqual(list(mid), list(contract_money.PAYOUT_KEYS))

    def test_compute_payout_over_rpc_signature(self):
        # What a JSON-RPC call_kw does: model method on ids with the date as a string.
        result = self.env["pi.investment.contract"].browse(self.contract_lan.id).compute_payout("2026-07-02")
        self.assertIsInstance(result["payout"], int)

    def test_batch_payouts_query_count_does_not_grow_with_contracts(self):
        Contract = self.env["pi.investment.contract"]
        many = Contract.create([{"partner_id": self.investor_hung.id, "product_id": self.product.id,
                                 "principal": 100_000_000 * (i + 1), "date_start": self.start} for i in range(30)])
        few = many[:3]
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # the contracts, then the one product's NAV series
            few._compute_payouts(END)
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            result = many._compute_payouts(END)
        self.assertEqual(result[many[0].id], many[0].compute_payout(END))

    def test_bad_input_is_refused_in_vietnamese(self):
        # A principal of zero: the database constraint (test_pi_contract_lifecycle).
        Contract = self.vi(self.env["pi.investment.contract"])
        with self.assertRaisesRegex(ValidationError, "Ngày kết thúc phải sau ngày bắt đầu"):
            Contract.create({"partner_id": self.investor_hung.id, "product_id": self.product.id,
                             "principal": 100_000_000, "date_start": self.start,
                             "date_end": self.start - datetime.timedelta(days=1)})
        self.assertEqual(Contract.search_count([("partner_id", "=", self.investor_hung.id)]), 1)

    def test_activation_needs_a_way_to_reach_the_investor(self):
        self.investor_hung.write({"mobile": False, "phone": False, "email": False})
        with self.assertRaisesRegex(UserError, "số điện thoại hoặc email"):
            self.vi(self.contract_lan).action_activate()
        self.assertEqual(self.contract_lan.state, "draft")

    def test_activate_twice_is_refused(self):
        self.contract_lan.action_activate()
        with self.assertRaises(UserError):
            self.contract_lan.action_activate()

    def test_cancel_draft_only_or_admin(self):
        self.contract_minh.with_user(self.consultant_minh).action_cancel()
        self.assertEqual(self.contract_minh.state, "cancelled")
        self.contract_lan.action_activate()
        with self.assertRaisesRegex(UserError, "quản trị"):
            self.vi(self.contract_lan).with_user(self.manager).action_cancel()
        self.assertEqual(self.contract_lan.state, "active")
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.assertEqual(self.contract_lan.state, "cancelled")

    def test_scanned_original_records_who_and_when(self):
        self.contract_lan.with_user(self.consultant_lan).scanned_original = True
        self.assertEqual(self.contract_lan.scanned_user_id, self.consultant_lan)
        self.assertTrue(self.contract_lan.scanned_date)
        self.contract_lan.scanned_original = False
        self.assertFalse(self.contract_lan.scanned_user_id)

    def test_nav_bad_input(self):
        # A second NAV on a date: the database constraint (test_pi_contract_lifecycle).
        Nav = self.vi(self.env["pi.product.performance"])
        with self.assertRaisesRegex(ValidationError, "lớn hơn 0"):
            Nav.create({"product_id": self.product.id, "date": datetime.date(2025, 1, 1), "nav_index": 0})
        self.assertEqual(self.product.nav_latest, 1.12)

    def test_maturity_by_cron(self):
        self.contract_lan.action_activate()
        Contract = self.env["pi.investment.contract"]
        Contract._cron_process_expiry(date_ref=END - datetime.timedelta(days=1))
        self.assertEqual(self.contract_lan.state, "active")
        Contract._cron_process_expiry(date_ref=END)
        self.assertEqual(self.contract_lan.state, "matured")
