import base64
import datetime
import io

from odoo.exceptions import UserError
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
        self.assertIn("Bien ban tat toan", document.name)
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
            [("res_model", "=", new._name), ("res_id", "=", new.id), ("name", "ilike", "gia han")]))

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
        by_ref = {row[0]: dict(zip(header, row)) for row in rows[3:5]}
        self.assertEqual(by_ref[self.contract_lan.name]["Payout"], 554_000_000)
        self.assertEqual(by_ref[self.contract_minh.name]["Principal"], 1_500_000_000)
