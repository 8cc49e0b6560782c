import base64
import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_qweb import QWebException

from .bonus_common import PiBonusCommon

NOVEMBER = datetime.date(2026, 11, 1)
DECEMBER = datetime.date(2026, 12, 1)


@tagged("pi_bonus")
class TestPiBonusStatement(PiBonusCommon):
    """November 2026, as the managers' sheet shows it:

        Lan   A 500.000.000 đ   activated 03/11, scanned 20/11        2.500.000 official in November
              B 1.500.000.000   activated 10/11, scanned 03/12       12.000.000 provisional, official in December
              C 1.000.000.000   activated 25/11, cancelled 28/11      8.000.000 cancelled in November
        Minh  D 1.500.000.000   activated 12/11                      12.000.000 provisional
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_a = cls.contract_lan
        cls.contract_b = cls._contract(1_500_000_000)
        cls.contract_c = cls._contract(1_000_000_000)
        cls.contract_d = cls.contract_minh
        for day, contract in ((3, cls.contract_a), (10, cls.contract_b), (12, cls.contract_d),
                              (25, cls.contract_c)):
            with freeze_time(datetime.date(2026, 11, day)):
                contract.action_activate()
        with freeze_time("2026-11-20"):
            cls.contract_a.scanned_original = True
        with freeze_time("2026-11-28"):
            cls.contract_c.with_user(cls.pi_admin).action_cancel()

    def _generate(self, user, month=NOVEMBER):
        wizard = self.env["pi.bonus.statement.generate"].with_user(user).create({"date_month": month})
        action = wizard.action_generate()
        return self.env["pi.bonus.statement"].search(action["domain"])

    def _statement(self, consultant, month=NOVEMBER):
        return self.env["pi.bonus.statement"].search([("user_id", "=", consultant.id), ("date_month", "=", month)])

    @freeze_time("2026-12-01")
    def test_the_month_totals_per_consultant(self):
        self._generate(self.manager, datetime.date(2026, 11, 17))  # any day of the month
        lan, minh = self._statement(self.consultant_lan), self._statement(self.consultant_minh)
        self.assertEqual(len(lan), 1)
        self.assertEqual(lan.line_ids.contract_id, self.contract_a | self.contract_b | self.contract_c)
        self.assertEqual((lan.amount_provisional, lan.amount_official, lan.amount_cancelled),
                         (12_000_000, 2_500_000, 8_000_000))
        self.assertEqual(minh.line_ids.contract_id, self.contract_d)
        self.assertEqual((minh.amount_provisional, minh.amount_official), (12_000_000, 0))
        self.assertEqual((lan.state, lan.name), ("draft", f"11/2026 – {self.consultant_lan.name}"))

    def test_a_draft_follows_its_lines_and_each_bonus_is_official_in_one_month(self):
        with freeze_time("2026-12-01"):
            lan = self._generate(self.manager).filtered(lambda s: s.user_id == self.consultant_lan)
        with freeze_time("2026-12-03"):
            self.contract_b.scanned_original = True
        self.assertEqual((lan.amount_provisional, lan.amount_official), (0, 2_500_000))
        with freeze_time("2027-01-01"):
            self._generate(self.manager, DECEMBER)
        december = self._statement(self.consultant_lan, DECEMBER)
        self.assertEqual(december.line_ids.contract_id, self.contract_b)
        self.assertEqual((december.amount_provisional, december.amount_official), (0, 12_000_000))
        # the tick taken back: December's draft no longer counts it official, November's provisional again
        self.contract_b.scanned_original = False
        self.assertEqual((december.amount_official, december.line_ids), (0, self.env["pi.bonus.line"]))
        self.assertEqual(lan.amount_provisional, 12_000_000)

    @freeze_time("2026-12-01")
    def test_a_manager_confirms_and_the_statement_is_frozen(self):
        lan = self._generate(self.manager).filtered(lambda s: s.user_id == self.consultant_lan)
        lan.with_user(self.manager).action_confirm()
        self.assertEqual((lan.state, lan.confirmed_uid), ("confirmed", self.manager))
        self.assertTrue(lan.date_confirmed)
        self.contract_b.scanned_original = True
        self.assertEqual((lan.amount_provisional, lan.amount_official), (12_000_000, 2_500_000))
        with self.assertRaises(UserError):
            lan.with_user(self.manager).action_confirm()

    @freeze_time("2026-12-01")
    def test_only_managers_confirm_and_make_statements(self):
        for user in (self.consultant_lan, self.consultant_minh):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._generate(user)
        statements = self._generate(self.manager)
        lan = statements.filtered(lambda s: s.user_id == self.consultant_lan)
        for user in (self.consultant_lan, self.consultant_minh, self.investor_user, self.public_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lan.with_user(user).action_confirm()
        self.assertEqual(lan.state, "draft")

    @freeze_time("2026-12-01")
    def test_who_reads_which_statements_and_nobody_writes_them(self):
        statements = self._generate(self.manager)
        lan = statements.filtered(lambda s: s.user_id == self.consultant_lan)
        Statement = self.env["pi.bonus.statement"]
        self.assertEqual(Statement.with_user(self.consultant_lan).search([("id", "in", statements.ids)]), lan)
        self.assertEqual(Statement.with_user(self.manager).search([("id", "in", statements.ids)]), statements)
        for user in (self.consultant_minh, self.investor_user, self.public_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                lan.with_user(user).read(["amount_official"])
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    lan.with_user(user).write({"state": "confirmed"})
                with self.assertRaises(UserError):
                    lan.with_user(user).write({"amount_official": 1})
                with self.assertRaises(UserError):
                    lan.with_user(user).unlink()
                with self.assertRaises(UserError):
                    Statement.with_user(user).create({"user_id": user.id, "date_month": DECEMBER})
        with self.assertRaises(UserError):
            lan.sudo().write({"amount_official": 1})
        self.assertEqual((lan.state, lan.amount_official), ("draft", 2_500_000))

    @freeze_time("2026-12-01")
    def test_the_statement_prints_in_vietnamese(self):
        lan = self._generate(self.manager).filtered(lambda s: s.user_id == self.consultant_lan)
        self.env["ir.module.module"].search([("name", "=", "pi_bonus")])._update_translations(["vi_VN"])
        report = self.env["ir.actions.report"].with_user(self.consultant_lan).with_context(
            force_report_rendering=True)
        html = report._render_qweb_html("pi_bonus.action_report_bonus_statement", lan.ids)[0].decode()
        for text in ("Bảng thưởng tháng", "12.000.000 đ", "2.500.000 đ", "1.500.000.000 đ", "10/11/2026",
                     "01/11/2026", "30/11/2026", self.contract_b.name):
            self.assertIn(text, html)
        # Minh cannot print Lan's
        self.env.invalidate_all()  # nothing of Lan's statement in the cache Minh reads through
        with self.assertRaises(QWebException) as refused:
            self.env["ir.actions.report"].with_user(self.consultant_minh)._render_qweb_html(
                "pi_bonus.action_report_bonus_statement", lan.ids)
        self.assertIsInstance(refused.exception.__cause__, AccessError)

    @freeze_time("2026-12-01")
    def test_the_statement_exports_to_excel_for_who_may_read_it(self):
        lan = self._generate(self.manager).filtered(lambda s: s.user_id == self.consultant_lan)
        self.env["ir.module.module"].search([("name", "=", "pi_bonus")])._update_translations(["vi_VN"])
        action = lan.with_user(self.consultant_lan).action_export_xlsx()
        attachment = self.env["ir.attachment"].with_user(self.consultant_lan).browse(
            int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual((attachment.res_model, attachment.res_id), (lan._name, lan.id))
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active
        cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header = next(number for number, row in enumerate(cells) if row[0] == "Hợp đồng")
        self.assertEqual(cells[header][5], "Thưởng (đ)")
        rows = {row[0]: row for row in cells[header + 1:header + 4]}
        self.assertEqual(rows[self.contract_b.name][3:8], [1_500_000_000, 0.8, 12_000_000, "Tạm tính", None])
        self.assertEqual(rows[self.contract_a.name][5:8], [2_500_000, "Chính thức", "20/11/2026"])
        self.assertEqual(sheet.cell(header + 2, 6).number_format, '#,##0 "đ"')
        totals = {row[0]: row[1] for row in cells[header + 4:] if row[0]}
        self.assertEqual(totals, {"Tạm tính": 12_000_000, "Chính thức trong tháng": 2_500_000,
                                  "Đã huỷ trong tháng": 8_000_000})
        self.assertEqual(sheet.freeze_panes, f"A{header + 2}")
        with self.assertRaises(AccessError):
            lan.with_user(self.consultant_minh).action_export_xlsx()
        with self.assertRaises(AccessError):
            attachment.with_user(self.consultant_minh).read(["datas"])

    @freeze_time("2026-12-01")
    def test_the_lines_open_as_a_list(self):
        lan = self._generate(self.manager).filtered(lambda s: s.user_id == self.consultant_lan)
        action = lan.with_user(self.consultant_lan).action_open_lines()
        lines = self.env["pi.bonus.line"].with_user(self.consultant_lan).search(action["domain"])
        self.assertEqual(lines.contract_id, self.contract_a | self.contract_b | self.contract_c)


@tagged("pi_bonus", "post_install", "-at_install")
class TestPiBonusStatementPdf(PiBonusCommon, HttpCase):
    """The PDF itself: wkhtmltopdf fetches the report's styles from the test server,
    which answers the test's own cursor in an HttpCase only (post_install)."""

    @freeze_time("2026-12-01")
    def test_the_statement_prints_as_a_pdf(self):
        with freeze_time("2026-11-10"):
            self.contract_lan.action_activate()
        self.env["pi.bonus.statement.generate"].with_user(self.manager).create(
            {"date_month": NOVEMBER}).action_generate()
        statement = self.env["pi.bonus.statement"].search([("user_id", "=", self.consultant_lan.id),
                                                           ("date_month", "=", NOVEMBER)])
        report = self.env["ir.actions.report"].with_user(self.consultant_lan).with_context(
            force_report_rendering=True)
        pdf = report._render_qweb_pdf("pi_bonus.action_report_bonus_statement", statement.ids)[0]
        self.assertTrue(pdf.startswith(b"%PDF"))
