import base64
import datetime
import io

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PiContractsCommon

END = datetime.date(2027, 1, 1)


@tagged("pi_contracts")
class TestPiContractWizards(PiContractsCommon):
    def _settle_form(self, contract, on_date, user=None):
        action = contract.with_user(user or self.env.user).action_open_settle_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(user or self.env.user).with_context(**action["context"]))
        wizard.date_settle = on_date
        return wizard

    @freeze_time("2027-01-05")
    def test_settle_at_end_shows_payout_and_attaches_document(self):
        self.contract_lan.action_activate()
        form = self._settle_form(self.contract_lan, END, self.consultant_lan)
        self.assertEqual(form.payout, 554_000_000)
        self.assertEqual(form.fee, 6_000_000)
        self.assertFalse(form.early)
        attachments_before = self.env["ir.attachment"].search_count(
            [("res_model", "=", "pi.investment.contract"), ("res_id", "=", self.contract_lan.id)])
        form.save().action_confirm()
        contract = self.contract_lan
        self.assertEqual(contract.state, "settled")
        self.assertEqual(contract.date_settled, END)
        self.assertEqual(contract.settlement_payout, 554_000_000)
        self.assertEqual(contract.settlement_investor_profit, 54_000_000)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "pi.investment.contract"), ("res_id", "=", contract.id)])
        self.assertEqual(len(attachments), attachments_before + 1)
        document = attachments.sorted("id")[-1]
        self.assertIn("Biên bản tất toán", document.name)
        self.assertIn("554.000.000", document.raw.decode())

    def test_early_settlement_uses_the_same_rule_on_that_date(self):
        self.contract_lan.action_activate()
        on_date = datetime.date(2026, 7, 2)
        form = self._settle_form(self.contract_lan, on_date)
        self.assertTrue(form.early)
        form.save().action_confirm()
        self.assertEqual(self.contract_lan.settlement_payout, self.contract_lan.compute_payout(on_date)["payout"])
        self.assertEqual(self.contract_lan.settlement_days, 182)

    def test_settle_draft_or_cancelled_is_refused(self):
        with self.assertRaisesRegex(UserError, "chỉ hợp đồng đang hiệu lực"):
            self.vi(self.contract_lan).action_open_settle_wizard()
        wizard = self.env["pi.contract.settle"].create({"contract_id": self.contract_lan.id, "date_settle": END})
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.contract_lan.action_cancel()
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(self.contract_lan.date_settled)

    @freeze_time("2027-01-05")
    def test_renew_rolls_profit_over_at_todays_rates(self):
        self.contract_lan.action_activate()
        self.policy.base_rate = 6.5
        action = self.contract_lan.with_user(self.consultant_lan).action_open_renew_wizard()
        form = Form(self.env["pi.contract.renew"].with_user(self.consultant_lan).with_context(**action["context"]))
        form.date_start = END
        form.term_months = 6
        self.assertEqual(form.new_principal, 554_000_000)
        new = self.env["pi.investment.contract"].browse(form.save().action_confirm()["res_id"])
        old = self.contract_lan
        self.assertEqual(old.state, "renewed")
        self.assertEqual(old.renewal_id, new)
        self.assertEqual(new.renewed_from_id, old)
        self.assertEqual(new.state, "active")
        self.assertEqual(new.principal, 554_000_000)
        self.assertEqual(new.date_start, END)
        self.assertEqual(new.date_end, datetime.date(2027, 7, 1))
        self.assertEqual(new.base_rate, 6.5)
        self.assertEqual(new.partner_id, self.investor_hung)
        self.assertEqual(new.user_id, self.consultant_lan)
        self.assertTrue(self.env["ir.attachment"].search_count(
            [("res_model", "=", new._name), ("res_id", "=", new.id), ("name", "ilike", "gia hạn")]))

    @freeze_time("2027-01-05")
    def test_renew_with_payout_keeps_principal_and_cannot_renew_twice(self):
        self.contract_lan.action_activate()
        wizard = self.env["pi.contract.renew"].create({
            "contract_id": self.contract_lan.id, "date_start": END, "profit_mode": "payout"})
        new = self.env["pi.investment.contract"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(new.principal, 500_000_000)
        self.assertEqual(self.contract_lan.settlement_investor_profit, 54_000_000)
        again = self.env["pi.contract.renew"].create({"contract_id": self.contract_lan.id, "date_start": END})
        with self.assertRaisesRegex(UserError, "đã được gia hạn"):
            self.vi(again).action_confirm()
        self.assertEqual(self.env["pi.investment.contract"].search_count(
            [("renewed_from_id", "=", self.contract_lan.id)]), 1)

    def test_export_to_excel_with_payout(self):
        import openpyxl  # noqa: PLC0415 - only this test reads the workbook back

        self.contract_lan.action_activate()
        wizard = self.env["pi.contract.export"].with_context(
            active_model="pi.investment.contract", active_ids=(self.contract_lan | self.contract_minh).ids,
        ).create({"date_value": END})
        self.assertEqual(len(wizard.contract_ids), 2)
        action = wizard.action_export()
        self.assertIn("/web/content/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        rows = list(book.active.iter_rows(values_only=True))
        header = rows[2]
        by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[3:5]}
        self.assertEqual(by_ref[self.contract_lan.name]["Payout"], 554_000_000)
        self.assertEqual(by_ref[self.contract_minh.name]["Principal"], 1_500_000_000)


@tagged("pi_contracts")
class TestPiContractWizardAccess(PiContractsCommon):
    """A wizard acts only on a contract its user may write, and shows nothing of another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.contract_lan | cls.contract_minh).action_activate()

    def test_wizard_on_a_colleagues_contract_is_refused(self):
        for model in ("pi.contract.settle", "pi.contract.renew"):
            Wizard = self.env[model].with_user(self.consultant_lan)
            with self.subTest(model=model, how="contract_id"), self.assertRaises(AccessError):
                Wizard.create({"contract_id": self.contract_minh.id})
            with self.subTest(model=model, how="default_contract_id"), self.assertRaises(AccessError):
                Wizard.with_context(default_contract_id=self.contract_minh.id).create({})
            own = Wizard.create({"contract_id": self.contract_lan.id})
            with self.subTest(model=model, how="write"), self.assertRaises(AccessError):
                own.write({"contract_id": self.contract_minh.id})

    def test_onchange_of_a_wizard_reveals_nothing_of_a_colleagues_contract(self):
        # The form's first call: onchange with the contract of the context.
        for model in ("pi.contract.settle", "pi.contract.renew"):
            Wizard = self.env[model].with_user(self.consultant_lan).with_context(
                default_contract_id=self.contract_minh.id)
            with self.subTest(model=model), self.assertRaises(AccessError):
                Wizard.onchange({}, [], {"contract_id": {}, "date_end": {}, "currency_id": {},
                                         **({"product_id": {}, "date_start": {}, "term_months": {}}
                                            if model == "pi.contract.renew" else {})})

    def test_manager_uses_the_wizards_on_any_contract(self):
        wizard = self.env["pi.contract.settle"].with_user(self.manager).create({
            "contract_id": self.contract_minh.id, "date_settle": datetime.date(2026, 6, 1), "template_id": False})
        wizard.action_confirm()
        self.assertEqual(self.contract_minh.state, "settled")


@tagged("pi_contracts")
@freeze_time("2026-12-01")
class TestPiContractScheduledRenewal(PiContractsCommon):
    """Renewing a contract ending 01/01/2027 on 01/12/2026: the renewal starts at
    maturity by default, and the old contract stays active until then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_lan.action_activate()

    def _renew(self, **values):
        action = self.contract_lan.with_user(self.consultant_lan).action_open_renew_wizard()
        form = Form(self.env["pi.contract.renew"].with_user(self.consultant_lan).with_context(**action["context"]))
        for field, value in values.items():
            setattr(form, field, value)
        return form

    def test_renewal_defaults_to_the_end_date_and_waits_for_it(self):
        form = self._renew()
        self.assertEqual(form.date_start, END)
        self.assertTrue(form.scheduled)
        self.assertEqual(form.new_principal, 554_000_000)
        new = self.env["pi.investment.contract"].browse(form.save().action_confirm()["res_id"])
        old = self.contract_lan
        self.assertEqual((old.state, old.date_settled, old.renewal_id), ("active", False, new))
        self.assertEqual((new.state, new.renewed_from_id, new.date_start), ("draft", old, END))
        # Nothing closes early, by hand or otherwise.
        with self.assertRaisesRegex(UserError, "sẽ được gia hạn"):
            self.vi(old.with_user(self.consultant_lan)).action_open_settle_wizard()
        with self.assertRaisesRegex(UserError, "được kích hoạt vào ngày đó"):
            self.vi(new.with_user(self.consultant_lan)).action_activate()
        with self.assertRaises(UserError):
            new.with_user(self.consultant_lan).write({"principal": 900_000_000})
        Contract = self.env["pi.investment.contract"]
        Contract._cron_process_expiry(date_ref=END - datetime.timedelta(days=1))
        self.assertEqual((old.state, new.state), ("active", "draft"))
        self.assertFalse(old.expiry_notice_ids, "a contract being renewed gets no expiry reminder")
        # On its start date the daily cron closes the old contract and activates the new one.
        Contract._cron_process_expiry(date_ref=END)
        self.assertEqual((old.state, old.date_settled, old.settlement_payout), ("renewed", END, 554_000_000))
        self.assertEqual((new.state, new.principal), ("active", 554_000_000))
        self.assertTrue(self.env["ir.attachment"].search_count(
            [("res_model", "=", new._name), ("res_id", "=", new.id), ("name", "ilike", "gia hạn")]))

    def test_a_scheduled_renewal_with_payout_keeps_the_principal(self):
        new = self.env["pi.investment.contract"].browse(
            self._renew(profit_mode="payout").save().action_confirm()["res_id"])
        self.env["pi.investment.contract"]._cron_process_expiry(date_ref=END + datetime.timedelta(days=2))
        self.assertEqual((new.state, new.principal), ("active", 500_000_000))
        self.assertEqual(self.contract_lan.settlement_investor_profit, 54_000_000)

    def test_a_scheduled_renewal_cancelled_before_its_date_frees_the_contract(self):
        new = self.env["pi.investment.contract"].browse(self._renew().save().action_confirm()["res_id"])
        new.with_user(self.consultant_lan).action_cancel()
        self.assertEqual(new.state, "cancelled")
        self.assertFalse(self.contract_lan.renewal_id)
        self.assertFalse(new.renewed_from_id)
        self.contract_lan.with_user(self.consultant_lan).action_open_settle_wizard()
        self.env["pi.investment.contract"]._cron_process_expiry(date_ref=END)
        self.assertEqual(self.contract_lan.state, "matured")

    def test_renewal_starting_today_closes_the_old_contract_now(self):
        today = datetime.date(2026, 12, 1)
        new = self.env["pi.investment.contract"].browse(
            self._renew(date_start=today).save().action_confirm()["res_id"])
        self.assertEqual((self.contract_lan.state, self.contract_lan.date_settled), ("renewed", today))
        self.assertEqual((new.state, new.date_start), ("active", today))

    def test_settling_on_a_date_to_come_is_refused(self):
        wizard = self.env["pi.contract.settle"].with_user(self.consultant_lan).create({
            "contract_id": self.contract_lan.id, "date_settle": END, "template_id": False})
        with self.assertRaisesRegex(UserError, "chưa đến"):
            self.vi(wizard).action_confirm()
        self.assertEqual(self.contract_lan.state, "active")
