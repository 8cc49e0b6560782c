import base64
import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.pi_kpi_report import KPI_VIEW_QUERY, PI_UTC_OFFSET, figures_query
from .kpi_common import PiKpiCommon, utc

_COLUMNS = SQL(
    "id, user_id, date, source_id, state_id, product_id, company_id, lead_count, consulted_count,"
    " first_response_hours_total, interaction_count, contract_count, principal, renewal_count, renewal_principal,"
    " settlement_count, target_lead_count, target_interaction_count, target_contract_count, target_principal")


@tagged("pi_bonus", "pi_kpi")
class TestPiKpiStored(PiKpiCommon):
    """The KPI figures are stored per consultant and day (pi_kpi_daily), the days a change
    touched are marked by triggers and computed at read time until the 10-minute job
    stores them again: every read is current, and the stored rows are always those the
    records give."""

    def _rows(self, query):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT %s FROM (%s) r ORDER BY id", _COLUMNS, query))
        return self.env.cr.fetchall()

    def _live(self):
        """The figures computed from the records, nothing stored."""
        return self._rows(SQL(figures_query(keyed=False), offset=PI_UTC_OFFSET))

    def _report(self):
        return self._rows(SQL(KPI_VIEW_QUERY, offset=PI_UTC_OFFSET))

    def _stored(self):
        return self._rows(SQL("SELECT * FROM pi_kpi_daily"))

    def _marked(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT DISTINCT user_id, date FROM pi_kpi_daily_dirty")
        return set(self.env.cr.fetchall())

    def _stored_sum(self, user, column, day):
        self.env.cr.execute(SQL("SELECT COALESCE(SUM(%s), 0) FROM pi_kpi_daily WHERE user_id = %s AND date = %s",
                                SQL.identifier(column), user.id, day))
        return self.env.cr.fetchone()[0]

    def _fold(self):
        self.env["pi.kpi.report"]._cron_fold_changes()
        self.assertFalse(self._marked(), "the job clears the marks it stored")
        self.assertEqual(self._stored(), self._live(), "stored rows are the records' figures")

    def assertCurrent(self):
        self.assertEqual(self._report(), self._live(), "the report reads what the records give, now")

    def test_fold_keeps_the_known_figures(self):
        before = self.kpi(self.manager, groupby=("user_id", "source_id", "state_id", "product_id"))
        self.assertTrue(self._marked(), "the data set's changes are marked")
        self.assertCurrent()
        self._fold()
        self.assertCurrent()
        self.assertEqual(self.kpi(self.manager, groupby=("user_id", "source_id", "state_id", "product_id")), before)
        self.assertEqual(self.kpi(self.manager)[self.consultant_lan]["lead_count"], 3)

    def test_interaction_logged_counts_at_once(self):
        self._fold()
        day = datetime.date(2026, 3, 4)
        stored = self._stored_sum(self.consultant_lan, "interaction_count", day)
        before = self.kpi(self.consultant_lan)[self.consultant_lan]["interaction_count"]
        self.env["pi.interaction"].with_user(self.consultant_lan).create({
            "lead_id": self.lead_c.id, "date": utc("2026-03-04 02:00:00")})
        self.assertIn((self.consultant_lan.id, day), self._marked())
        self.assertEqual(self.kpi(self.consultant_lan)[self.consultant_lan]["interaction_count"], before + 1,
                         "logged a second ago: counted")
        self.assertEqual(self.kpi(self.consultant_lan)[self.consultant_lan]["consulted_count"], 3,
                         "lead_c consulted now")
        self.assertCurrent()
        self._fold()
        self.assertEqual(self._stored_sum(self.consultant_lan, "interaction_count", day), stored + 1)

    def test_intake_record_and_its_flip(self):
        self._fold()
        intake = self.env["pi.interaction"].search([("lead_id", "=", self.lead_m.id), ("intake", "=", True)])
        intake.intake = False
        self.assertEqual(self.kpi(self.manager)[self.consultant_minh]["interaction_count"], 1)
        self.assertCurrent()
        self._fold()
        intake.unlink()
        self.assertNotIn(self.consultant_minh, {user for user, figures in self.kpi(self.manager).items()
                                                if figures["interaction_count"]})
        self.assertCurrent()
        self._fold()

    def test_lead_reassigned_moves_its_figures(self):
        self._fold()
        # stock's crm.lead restarts date_open on reassignment: the lead is Minh's new lead today
        span = {"date_from": "2000-01-01", "date_to": "2100-12-31"}
        before = self.kpi(self.manager, **span)
        self.lead_a.user_id = self.consultant_minh
        after = self.kpi(self.manager, **span)
        self.assertEqual(after[self.consultant_lan]["lead_count"], before[self.consultant_lan]["lead_count"] - 1)
        self.assertEqual(after[self.consultant_minh]["lead_count"], before[self.consultant_minh]["lead_count"] + 1)
        self.assertEqual(after[self.consultant_minh]["consulted_count"], 1, "its first contact goes along")
        self.assertCurrent()
        self._fold()
        self.assertEqual(self._stored_sum(self.consultant_lan, "lead_count", datetime.date(2026, 3, 2)), 2)

    def test_contract_activated_then_cancelled(self):
        self._fold()
        day = datetime.date(2026, 3, 12)
        contract = self.env["pi.investment.contract"].create({
            "partner_id": self.contract_lan.partner_id.id, "product_id": self.product.id,
            "principal": 300_000_000, "date_start": day})
        with freeze_time("2026-03-12 03:00:00"):
            contract.action_activate()
        self.assertEqual(self.kpi(self.manager)[self.consultant_lan]["principal"], 800_000_000)
        self.assertCurrent()
        self._fold()
        self.assertEqual(self._stored_sum(self.consultant_lan, "principal", day), 300_000_000)
        contract.with_user(self.pi_admin).action_cancel()
        self.assertEqual(self.kpi(self.manager)[self.consultant_lan]["principal"], 500_000_000)
        self.assertCurrent()
        self._fold()
        self.assertEqual(self._stored_sum(self.consultant_lan, "principal", day), 0)

    def test_customer_moved_to_another_province(self):
        self._fold()
        other = self.env["res.country.state"].create({"name": "Tỉnh test KPI", "code": "TKPI",
                                                      "country_id": self.env.ref("base.vn").id})
        self.contract_lan.partner_id.state_id = other
        by_province = self.kpi(self.manager, groupby=("state_id",))
        self.assertEqual(by_province[other]["principal"], 500_000_000, "contract_lan's customer's province now")
        self.assertCurrent()
        self._fold()

    def test_target_changed(self):
        self._fold()
        target = self.env["pi.kpi.target"].search([("user_id", "=", self.consultant_lan.id)])
        target.with_user(self.manager).target_principal = 2_000_000_000
        self.assertEqual(self.kpi(self.manager)[self.consultant_lan]["target_principal"], 2_000_000_000)
        self.assertCurrent()
        self._fold()

    def test_bonus_line_made_official_in_the_summary(self):
        """Bonus lines are read from pi.bonus.line itself: the scan tick shows at once."""
        self._fold()

        def bonus_official():
            wizard = self.env["pi.sales.summary"].with_user(self.manager).create({
                "date_from": "2026-03-01", "date_to": "2026-03-31"})
            wizard.action_export()
            sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file))).worksheets[0]
            return {row[0]: row[12] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}

        before = bonus_official()[self.consultant_minh.name]
        with freeze_time("2026-03-21 03:00:00"):
            self.contract_minh.scanned_original = True
        line = self.env["pi.bonus.line"].sudo().search([("contract_id", "=", self.contract_minh.id)])
        self.assertEqual(bonus_official()[self.consultant_minh.name], before + line.amount)

    def test_summary_same_before_and_after_the_fold(self):
        def workbook():
            wizard = self.env["pi.sales.summary"].with_user(self.manager).create({
                "date_from": "2026-03-01", "date_to": "2026-03-31"})
            wizard.action_export()
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
            return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}

        before = workbook()
        self._fold()
        self.assertEqual(workbook(), before)

    def test_upgrade_fills_the_stored_figures(self):
        """install and upgrade (init) rebuild the table from the records and clear the marks."""
        self.env.flush_all()
        self.env.cr.execute("TRUNCATE pi_kpi_daily")
        self.env["pi.kpi.report"].init()
        self.assertFalse(self._marked())
        self.assertEqual(self._stored(), self._live())
        self.assertTrue(self._stored())
        self.assertCurrent()
