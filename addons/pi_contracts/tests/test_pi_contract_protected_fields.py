import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PiContractsCommon, create_investor

# What a client sends over JSON-RPC to an active contract, one field group a row.
ATTACKS = {
    "state": {"state": "cancelled"},
    "state back to draft": {"state": "draft"},
    "activation date": {"date_activated": "2025-01-01"},
    "settlement figures": {"settlement_payout": 9_000_000_000, "settlement_fee": 0, "date_settled": "2026-06-01"},
    "renewal links": {"renewal_id": "contract_minh", "renewed_from_id": "contract_minh"},
    "start date": {"date_start": "2025-01-01"},
    "end date and term": {"date_end": "2030-01-01", "term_months": 48},
    "principal": {"principal": 5_000_000_000},
    "rates and fee level": {"base_rate": 20.0, "fee_rate": 0.0, "fee_tier_id": "tier_10"},
    "product and investor": {"product_id": "product_other", "partner_id": "investor_other"},
}


@tagged("pi_contracts")
class TestPiContractProtectedFields(PiContractsCommon):
    """Once active, a contract changes only through its actions: every field group
    written directly, over the ORM as RPC does, is refused, for its consultant, a
    manager and even a full-rights administrator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_other = cls.product.copy({"code": "TBCC6", "term_months": 6})
        cls.investor_other = create_investor(cls.env, "Vũ Thị Hoa", cls.consultant_lan, mobile="+84911111111")
        with freeze_time("2026-01-02"):
            cls.contract_lan.action_activate()

    def _vals(self, attack):
        return {field: getattr(self, value).id if isinstance(value, str) and hasattr(self, value) else value
                for field, value in ATTACKS[attack].items()}

    def _snapshot(self, contract):
        fields = {field for attack in ATTACKS.values() for field in attack}
        return contract.read(sorted(fields))[0]

    def test_direct_writes_on_an_active_contract_are_refused(self):
        before = self._snapshot(self.contract_lan)
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            for attack in ATTACKS:
                with self.subTest(user=user.login, attack=attack), self.assertRaises(UserError):
                    self.contract_lan.with_user(user).write(self._vals(attack))
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(self.contract_lan), before)

    def test_superuser_code_goes_through_the_actions_too(self):
        with self.assertRaises(UserError):
            self.contract_lan.sudo().write({"state": "cancelled"})
        with self.assertRaises(UserError):
            self.contract_lan.sudo().write({"settlement_payout": 1})

    def test_the_marker_cannot_be_forged_from_a_client_context(self):
        # A JSON-RPC context can name the key, with a JSON value only.
        for forged in (True, 1, "1", {"x": 1}):
            contract = self.contract_lan.with_user(self.consultant_lan).with_context(
                pi_contract_action_write=forged)
            with self.subTest(forged=forged), self.assertRaises(UserError):
                contract.write({"state": "cancelled"})
        self.assertEqual(self.contract_lan.state, "active")

    def test_consultant_cancel_by_write_fails_in_vietnamese(self):
        contract = self.vi(self.contract_lan.with_user(self.consultant_lan))
        with self.assertRaisesRegex(UserError, "chỉ thay đổi qua các thao tác"):
            contract.write({"state": "cancelled"})
        with self.assertRaisesRegex(UserError, "không còn là bản nháp"):
            contract.write({"date_start": "2025-06-01"})

    def test_unchanged_values_and_free_fields_are_accepted(self):
        contract = self.contract_lan.with_user(self.consultant_lan)
        contract.write({
            "state": "active", "principal": 500_000_000, "date_start": "2026-01-01",
            "partner_id": self.investor_hung.id, "note": "<p>Gọi lại sau Tết</p>", "scanned_original": True,
            "stage_id": self.env["pi.contract.stage"].search([], limit=1).id,
        })
        self.assertTrue(contract.scanned_original)
        self.assertIn("Tết", contract.note)

    def test_a_draft_keeps_its_terms_editable_but_not_its_history(self):
        contract = self.contract_minh.with_user(self.consultant_minh)
        contract.write({"principal": 2_000_000_000, "date_start": "2026-02-01", "term_months": 6})
        self.assertEqual(contract.date_end, datetime.date(2026, 8, 1))
        for attack in ("state", "activation date", "settlement figures", "renewal links"):
            with self.subTest(attack=attack), self.assertRaises(UserError):
                contract.write(self._vals(attack))
        self.assertEqual(contract.state, "draft")

    def test_create_and_copy_start_as_plain_drafts(self):
        Contract = self.env["pi.investment.contract"].with_user(self.consultant_lan)
        base = {"partner_id": self.investor_hung.id, "product_id": self.product.id, "principal": 100_000_000}
        for attack in ("state", "activation date", "settlement figures", "renewal links"):
            with self.subTest(attack=attack), self.assertRaises(UserError):
                Contract.create(dict(base, **self._vals(attack)))
        with self.assertRaises(UserError):
            self.contract_lan.with_user(self.consultant_lan).copy({"state": "active"})
        copy = self.contract_lan.with_user(self.consultant_lan).copy()
        self.assertEqual((copy.state, copy.date_activated, copy.renewed_from_id.id), ("draft", False, False))

    def test_contract_for_a_colleagues_customer_is_refused(self):
        Contract = self.env["pi.investment.contract"].with_user(self.consultant_lan)
        with self.assertRaises(AccessError):
            Contract.create({"partner_id": self.investor_tuan.id, "product_id": self.product.id,
                             "principal": 100_000_000})
        draft = Contract.create({"partner_id": self.investor_hung.id, "product_id": self.product.id,
                                 "principal": 100_000_000})
        with self.assertRaises(AccessError):
            draft.write({"partner_id": self.investor_tuan.id})
        self.assertEqual(draft.partner_id, self.investor_hung)

    def test_onchange_does_not_reveal_a_colleagues_customer(self):
        # What the form's onchange call computes when the id of Minh's customer is typed in.
        form = Form(self.env["pi.investment.contract"].with_user(self.consultant_lan))
        form.partner_id = self.investor_tuan
        self.assertFalse(form.partner_salutation)
        form.partner_id = self.investor_hung
        self.assertEqual(form.partner_salutation, self.investor_hung.pi_salutation)

    def test_actions_record_who_and_when(self):
        draft = self.contract_minh.with_user(self.consultant_minh)
        for action in (None, draft.action_cancel, draft.action_reset_draft, draft.action_activate):
            if action:
                action()
            self.env.flush_all()
            self.env.cr.precommit.run()  # each request posts its own tracking message
        self.env.invalidate_all()
        states = self.contract_minh.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state").sorted("id")
        self.assertEqual([(value.old_value_char, value.new_value_char) for value in states],
                         [("Draft", "Cancelled"), ("Cancelled", "Draft"), ("Draft", "Active")])
        self.assertEqual(states.mail_message_id.author_id, self.consultant_minh.partner_id)
        self.assertEqual(self.contract_minh.date_activated, fields.Date.context_today(draft))

    def test_admin_cancels_an_active_contract_and_corrects_it_in_draft(self):
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.assertEqual(self.contract_lan.state, "cancelled")
        self.contract_lan.with_user(self.pi_admin).action_reset_draft()
        self.contract_lan.with_user(self.consultant_lan).write({"principal": 600_000_000})
        self.assertEqual(self.contract_lan.principal, 600_000_000)

    def test_only_an_admin_sets_a_once_active_contract_back_to_draft(self):
        # Cancelled by an administrator after its activation: its consultant (or a
        # manager) cannot reopen it, change its terms and activate it again.
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        for user in (self.consultant_lan, self.manager):
            contract = self.contract_lan.with_user(user)
            self.assertFalse(contract.can_reset_draft)
            with self.subTest(user=user.login), self.assertRaises(UserError):
                contract.action_reset_draft()
        self.assertEqual(self.contract_lan.state, "cancelled")
        self.assertTrue(self.contract_lan.with_user(self.pi_admin).can_reset_draft)
        # A draft cancelled before its activation is still its consultant's to reopen.
        draft = self.contract_minh.with_user(self.consultant_minh)
        draft.action_cancel()
        self.assertTrue(draft.can_reset_draft)
        draft.action_reset_draft()
        self.assertEqual(draft.state, "draft")

    def test_a_colleague_cannot_run_the_actions(self):
        contract = self.contract_minh.with_user(self.consultant_lan)
        for action in ("action_activate", "action_cancel", "action_reset_draft"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(contract, action)()
        self.assertEqual(self.contract_minh.state, "draft")
