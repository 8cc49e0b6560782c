import base64
import datetime
import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .kpi_common import PiKpiCommon


@tagged("pi_bonus", "pi_kpi")
class TestPiSalesSummary(PiKpiCommon):
    """Issue 17 point 3: "Tổng kết Sale" for March 2026, team "Đội test KPI", read back with
    openpyxl as a manager reading Vietnamese; consultants, investors and visitors are refused."""

    def _export(self, user, **values):
        wizard = self.env["pi.sales.summary"].with_user(user).with_context(lang=user.lang).create({
            "date_from": "2026-03-01", "date_to": "2026-03-31", "team_id": self.team.id, **values})
        action = wizard.action_export()
        self.assertIn(wizard.file_name, action["url"])
        return wizard, openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    def _rows(self, sheet):
        """{first cell: row values} of the data rows and the totals row (header on row 3)."""
        return {row[0]: list(row) for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}

    def _bonus(self, state, date_field):
        lines = self.env["pi.bonus.line"].sudo().search([
            ("user_id", "=", self.consultant_lan.id), ("state", "=", state),
            (date_field, ">=", "2026-03-01"), (date_field, "<=", "2026-03-31")])
        return sum(lines.mapped("amount"))

    def test_workbook_sheets_headers_and_figures(self):
        wizard, book = self._export(self.manager)
        self.assertEqual(wizard.file_name, "tong-ket-sale-20260301-20260331.xlsx")
        self.assertEqual(book.sheetnames, ["Nhân viên tư vấn", "Sản phẩm", "Nguồn", "Tháng", "Tỉnh thành"])
        sheet = book["Nhân viên tư vấn"]
        headers = [cell.value for cell in sheet[3]]
        self.assertEqual(headers[:4], ["Nhân viên tư vấn", "Khách hàng tiềm năng mới", "Đã tư vấn", "Tương tác"])
        self.assertIn("Vốn đang quản lý", headers)
        self.assertEqual(sheet.freeze_panes, "B4", "header row and consultant column frozen")
        rows = self._rows(sheet)
        self.assertEqual(set(rows), {"Nguyễn Thị Lan", "Trần Văn Minh", "Tổng cộng"}, "the team only: not Bình")
        lan, minh, total = rows["Nguyễn Thị Lan"], rows["Trần Văn Minh"], rows["Tổng cộng"]
        self.assertEqual(lan[1:4], [3, 2, 3])
        self.assertAlmostEqual(lan[4], 9.25, places=2)
        self.assertEqual(lan[5:9], [1, 500_000_000, 1, 0])
        self.assertAlmostEqual(lan[9], 100 / 3, places=2)
        self.assertEqual(lan[10], self.renewal_lan.principal, "the renewal is what Lan manages on 31/03")
        bonus_provisional, bonus_official = self._bonus("provisional", "date_provisional"), self._bonus(
            "official", "date_official")
        self.assertGreaterEqual(bonus_provisional, 2_500_000)
        self.assertEqual(lan[11:13], [bonus_provisional, bonus_official], "the cancelled line never counts")
        self.assertEqual(minh[1:4], [1, 0, 0])
        self.assertEqual(minh[5:9], [1, 1_500_000_000, 0, 1])
        self.assertEqual(minh[10], 0, "settled on 20/03")
        # totals: SUM formulas with their values cached
        self.assertEqual(sheet.cell(row=6, column=7).value, "=SUM(G4:G5)")
        cached = self._rows(openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)), data_only=True)[
            "Nhân viên tư vấn"])["Tổng cộng"]
        self.assertEqual(cached[1], 4)
        self.assertEqual(cached[6], 2_000_000_000)
        self.assertAlmostEqual(total[9], 50.0, places=2, msg="2 contracts for 4 leads, from the sums")
        self.assertEqual(sheet.cell(row=4, column=7).number_format, "#,##0", "VND with thousands separators")

    def test_other_sheets(self):
        _wizard, book = self._export(self.manager)
        products = self._rows(book["Sản phẩm"])
        product = products[self.product.display_name]
        self.assertEqual(product[1:7], [2, 2_000_000_000, 1, self.renewal_lan.principal, 1,
                                        self.renewal_lan.principal])
        sources = self._rows(book["Nguồn"])
        self.assertEqual(sources["Nguồn test KPI"][1:5], [4, 2, 1, 500_000_000],
                         "Lan's and Minh's leads, Hùng's contract")
        months = self._rows(book["Tháng"])
        self.assertEqual(months["03/2026"][1:6], [4, 2, 3, 2, 2_000_000_000])
        self.assertEqual(months["03/2026"][8], 1_000_000_000, "Lan's target")
        provinces = self._rows(book["Tỉnh thành"])
        self.assertEqual(provinces[self.province.display_name][3:5], [1, 500_000_000], "Hùng's province")
        self.assertEqual(provinces["Không rõ tỉnh/thành"][1], 4, "the leads have no province")

    def test_pivot_shows_the_same_figures(self):
        """The web client's "Sales by Product" pivot (the KPI report) against the product sheet."""
        _wizard, book = self._export(self.manager)
        product = self._rows(book["Sản phẩm"])[self.product.display_name]
        [(contracts, principal)] = self.env["pi.kpi.report"].with_user(self.manager)._read_group(
            [("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31"), ("product_id", "=", self.product.id),
             ("user_id", "in", self.team.member_ids.ids)], [], ["contract_count:sum", "principal:sum"])
        self.assertEqual([contracts, principal], product[1:3])

    def test_consultants_and_outsiders_are_refused(self):
        portal = new_test_user(self.env, login="pk_portal_summary", groups="base.group_portal")
        for user in (self.consultant_lan, self.consultant_binh, portal, self.env.ref("base.public_user")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["pi.sales.summary"].with_user(user).create({
                    "date_from": "2026-03-01", "date_to": "2026-03-31", "team_id": self.team.id})
        # a summary a manager prepared, exported by a consultant (RPC on its id)
        wizard = self.env["pi.sales.summary"].with_user(self.manager).create({
            "date_from": "2026-03-01", "date_to": "2026-03-31", "team_id": self.other_team.id})
        with self.assertRaises(AccessError):
            wizard.with_user(self.consultant_lan).action_export()
        # and the group check in the code itself, should the access rights ever widen
        with self.assertRaises(AccessError):
            wizard.with_user(self.consultant_lan).sudo(False)._check_can_export()
        self.assertFalse(wizard.file)

    def test_period_without_figures(self):
        _wizard, book = self._export(self.manager, date_from=datetime.date(2020, 1, 1),
                                     date_to=datetime.date(2020, 1, 31))
        self.assertEqual(set(self._rows(book["Nhân viên tư vấn"])), {"Tổng cộng"})
