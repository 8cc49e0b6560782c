import base64
import datetime
import io

import openpyxl
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import format_date, mute_logger

from .common import PiContractsCommon

END = datetime.date(2027, 1, 1)


@tagged("pi_contracts")
class TestPiContractResetDraft(PiContractsCommon):
    """Cancelled → draft: by the consultant for a contract never activated, by a
    full-rights administrator only for one that was active."""

    def test_a_never_activated_contract_goes_back_to_draft_for_its_consultant(self):
        contract = self.contract_lan.with_user(self.consultant_lan)
        contract.action_cancel()
        self.assertTrue(contract.can_reset_draft)
        contract.action_reset_draft()
        self.assertEqual(contract.state, "draft")
        contract.write({"principal": 600_000_000})  # a draft again: its terms can be corrected
        self.assertEqual(contract.principal, 600_000_000)

    def test_a_contract_that_was_active_goes_back_to_draft_for_an_administrator_only(self):
        self.contract_lan.action_activate()
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        for user in (self.consultant_lan, self.manager):
            with self.subTest(user=user.login):
                contract = self.vi(self.contract_lan).with_user(user)
                self.assertFalse(contract.can_reset_draft)
                with self.assertRaisesRegex(UserError, "(?i)quản trị toàn quyền"):
                    contract.action_reset_draft()
                self.assertEqual(contract.state, "cancelled")
        self.contract_lan.with_user(self.pi_admin).action_reset_draft()
        self.assertEqual(self.contract_lan.state, "draft")

    def test_only_a_cancelled_contract_goes_back_to_draft(self):
        self.contract_lan.action_activate()
        for contract in (self.contract_lan, self.contract_minh):
            with self.subTest(state=contract.state), self.assertRaises(UserError):
                contract.with_user(self.pi_admin).action_reset_draft()
        self.assertEqual((self.contract_lan.state, self.contract_minh.state), ("active", "draft"))


@tagged("pi_contracts")
class TestPiContractUnlink(PiContractsCommon):
    """Only a draft or cancelled contract can be deleted (managers delete; consultants do not)."""

    def test_draft_and_cancelled_contracts_can_be_deleted(self):
        self.contract_minh.with_user(self.consultant_minh).action_cancel()
        with self.assertRaises(AccessError):
            self.contract_lan.with_user(self.consultant_lan).unlink()
        (self.contract_lan | self.contract_minh).with_user(self.manager).unlink()
        self.assertFalse((self.contract_lan | self.contract_minh).exists())

    def test_an_active_or_closed_contract_cannot_be_deleted(self):
        self.contract_lan.action_activate()
        self.contract_minh.action_activate()
        self.contract_minh._settle(self.start + datetime.timedelta(days=10), today=END)
        for contract in (self.contract_lan, self.contract_minh):
            for user in (self.manager, self.pi_admin, self.env.user):
                with self.subTest(state=contract.state, user=user.login), \
                        self.assertRaisesRegex(UserError, "nháp hoặc đã h"):
                    self.vi(contract).with_user(user).unlink()
        self.assertEqual(len((self.contract_lan | self.contract_minh).exists()), 2)


@tagged("pi_contracts")
class TestPiContractDatabaseConstraints(PiContractsCommon):
    """One NAV per product and date, and a principal above zero: checked by the
    database, worded in Vietnamese for the user (as Odoo's RPC layer words them)."""

    def assert_refused(self, constraint, create):
        """``create`` breaks ``constraint``: the error a Vietnamese user reads."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            with self.env.cr.savepoint():
                create()
                self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(caught.exception.diag.constraint_name, constraint)
        return str(_as_validation_error(self.vi(self.env["pi.investment.contract"]).env, caught.exception))

    def test_a_principal_of_zero_is_refused(self):
        for principal in (0, -100_000_000):
            with self.subTest(principal=principal):
                message = self.assert_refused("pi_investment_contract_principal_positive", lambda principal=principal: (
                    self.env["pi.investment.contract"].create({"partner_id": self.investor_hung.id,
                                                               "product_id": self.product.id,
                                                               "principal": principal, "date_start": self.start})))
                self.assertIn("Số tiền đầu tư phải lớn hơn 0", message)
        message = self.assert_refused("pi_investment_contract_principal_positive",
                                      lambda: self.contract_lan.write({"principal": 0}))
        self.assertIn("Số tiền đầu tư phải lớn hơn 0", message)
        self.assertEqual(self.contract_lan.principal, 500_000_000)

    def test_a_second_nav_on_the_same_date_is_refused(self):
        Nav = self.env["pi.product.performance"]
        message = self.assert_refused("pi_product_performance_product_date_unique", lambda: Nav.create(
            {"product_id": self.product.id, "date": self.start, "nav_index": 1.5}))
        self.assertIn("một NAV cho mỗi ngày", message)
        # The same date on another product is fine.
        other = self.product.copy({"code": "TBCC-2"})
        Nav.create({"product_id": other.id, "date": self.start, "nav_index": 1.0})
        self.assertEqual(self.product.nav_latest, 1.12)


@tagged("pi_contracts")
class TestPiContractExport(PiContractsCommon):
    """The Excel export of a list's contracts, valued on a date."""

    def _export(self, user, **context):
        wizard = self.env["pi.contract.export"].with_user(user).with_context(
            active_model="pi.investment.contract", lang="vi_VN", **context).create({"date_value": END})
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        return wizard, [row for row in sheet.iter_rows(values_only=True)]

    def test_the_whole_list_exports_its_domain(self):
        # "Select all" on a filtered list: the client sends the list's domain.
        domain = [("product_id", "=", self.product.id), ("principal", ">=", 1_000_000_000)]
        wizard, rows = self._export(self.manager, active_domain=domain)
        self.assertEqual(wizard.contract_ids, self.contract_minh)
        # The title's date the Vietnamese way (vi_VN's own date format), as the user reads it.
        self.assertTrue(rows[0][0].endswith(format_date(wizard.env, END)))
        self.assertIn("01/01/2027", rows[0][0])
        body = rows[3:-1]  # title, blank, header ... total
        self.assertEqual([row[0] for row in body], [self.contract_minh.name])
        payout = self.contract_minh.compute_payout(END)["payout"]
        self.assertEqual(body[0][-1], payout)

    def test_the_domain_is_searched_with_the_users_rights(self):
        wizard, _rows = self._export(self.consultant_lan, active_domain=[("product_id", "=", self.product.id)])
        self.assertEqual(wizard.contract_ids, self.contract_lan, "Minh's contract is not Lan's to export")

    def test_selected_lines_win_over_the_domain(self):
        wizard, _rows = self._export(self.manager, active_ids=self.contract_lan.ids,
                                     active_domain=[("product_id", "=", self.product.id)])
        self.assertEqual(wizard.contract_ids, self.contract_lan)
