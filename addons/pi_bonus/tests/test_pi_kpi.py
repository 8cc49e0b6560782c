import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .kpi_common import PiKpiCommon

MARCH = datetime.date(2026, 3, 1)


@tagged("pi_bonus", "pi_kpi")
class TestPiKpiReport(PiKpiCommon):
    """Issue 17 point 2: the KPI report on a known month, the targets beside it,
    who sees which rows, and the managers' weekly digest."""

    def test_month_figures_per_consultant(self):
        figures = self.kpi(self.manager, [("user_id", "in", (self.consultant_lan | self.consultant_minh).ids)])
        lan, minh = figures[self.consultant_lan], figures[self.consultant_minh]
        self.assertEqual((lan["lead_count"], lan["consulted_count"], lan["interaction_count"]), (3, 2, 3))
        self.assertAlmostEqual(lan["first_response_hours"], 9.25, places=2, msg="(4 h + 14.5 h) / 2 leads")
        self.assertEqual((lan["contract_count"], lan["principal"], lan["renewal_count"], lan["settlement_count"]),
                         (1, 500_000_000, 1, 0))
        self.assertAlmostEqual(lan["conversion_rate"], 100 / 3, places=2)
        self.assertEqual(lan["target_principal"], 1_000_000_000)
        self.assertAlmostEqual(lan["principal_achievement"], 50.0, places=2)
        # Minh: the intake record is neither an interaction nor a consultation
        self.assertEqual((minh["lead_count"], minh["consulted_count"], minh["interaction_count"]), (1, 0, 0))
        self.assertFalse(minh["first_response_hours"], "no lead consulted: no average")
        self.assertEqual((minh["contract_count"], minh["principal"], minh["settlement_count"]),
                         (1, 1_500_000_000, 1))
        self.assertAlmostEqual(minh["conversion_rate"], 100.0)

    def test_days_are_pi_days(self):
        """A call at 17:30 UTC on 2 March is 00:30 on 3 March in Hà Nội: it counts on the 3rd."""
        days = self.kpi(self.manager, [("user_id", "=", self.consultant_lan.id)], groupby=("date:day",))
        by_day = {day.date() if isinstance(day, datetime.datetime) else day: values for day, values in days.items()}
        second, third = by_day[datetime.date(2026, 3, 2)], by_day[datetime.date(2026, 3, 3)]
        self.assertEqual((second["lead_count"], second["consulted_count"], second["interaction_count"]), (3, 1, 1))
        self.assertEqual((third["lead_count"], third["consulted_count"], third["interaction_count"]), (0, 1, 2))
        self.assertAlmostEqual(third["first_response_hours"], 14.5, places=2)
        self.assertEqual(by_day[datetime.date(2026, 3, 25)]["renewal_count"], 1)

    def test_ratios_are_weighted_across_days(self):
        """The pivot's conversion comes from the sums of its cells: Lan's leads (no province) and her
        contract (Hùng's province) are different rows, whose own ratios average to 0 %."""
        lan = self.kpi(self.manager, [("user_id", "=", self.consultant_lan.id)])[self.consultant_lan]
        rows = self.env["pi.kpi.report"].search([("user_id", "=", self.consultant_lan.id), ("date", ">=", MARCH),
                                                 ("date", "<=", "2026-03-31")])
        own_ratios = [rate for rate in rows.mapped("conversion_rate") if rate]
        self.assertFalse(own_ratios, "no row has both a lead and a contract")
        self.assertAlmostEqual(lan["conversion_rate"], 100 * 1 / 3, places=2)

    def test_target_against_actual_by_month(self):
        months = self.kpi(self.manager, [("user_id", "=", self.consultant_lan.id)], groupby=("date:month",),
                          date_from="2026-02-01", date_to="2026-04-30")
        self.assertEqual(len(months), 1, "only March has figures or targets")
        [march] = months.values()
        self.assertEqual((march["principal"], march["target_principal"]), (500_000_000, 1_000_000_000))
        self.assertAlmostEqual(march["principal_achievement"], 50.0, places=2)
        target = self.env["pi.kpi.target"].search([("user_id", "=", self.consultant_lan.id)])
        self.assertEqual(target.month, MARCH, "a target is stored on the first day of its month")

    def test_consultant_sees_only_own_rows(self):
        Report = self.env["pi.kpi.report"].with_user(self.consultant_lan)
        users = set(Report.search([("date", ">=", MARCH), ("date", "<=", "2026-03-31")]).mapped("user_id"))
        self.assertEqual(users, {self.consultant_lan})
        figures = self.kpi(self.consultant_lan)
        self.assertEqual(set(figures), {self.consultant_lan}, "read_group too: no other consultant's totals")
        minh_row = self.env["pi.kpi.report"].search([("user_id", "=", self.consultant_minh.id)], limit=1)
        self.assertTrue(minh_row)
        with self.assertRaises(AccessError):
            minh_row.with_user(self.consultant_lan).read(["principal"])

    def test_first_contact_is_computed_never_written(self):
        self.assertEqual(self.lead_a.pi_first_contact_date, datetime.datetime(2026, 3, 2, 6, 0))
        self.assertFalse(self.lead_m.pi_first_contact_date, "the intake record is not a contact")
        with self.assertRaises(AccessError):
            self.lead_c.with_user(self.consultant_lan).write({"pi_first_contact_date": "2026-03-02 05:00:00"})
        lead = self.env["crm.lead"].with_user(self.consultant_lan).create({
            "name": "Anh Phúc", "user_id": self.consultant_lan.id, "pi_first_contact_date": "2026-03-02 05:00:00"})
        self.assertFalse(lead.pi_first_contact_date, "a forged first contact is dropped at creation")

    def test_targets_managers_set_consultants_read_own(self):
        Target = self.env["pi.kpi.target"]
        minh_target = Target.with_user(self.manager).create({
            "user_id": self.consultant_minh.id, "month": "2026-04-01", "target_principal": 2_000_000_000})
        own = Target.search([("user_id", "=", self.consultant_lan.id)])
        self.assertEqual(own.with_user(self.consultant_lan).target_principal, 1_000_000_000)
        with self.assertRaises(AccessError):
            minh_target.with_user(self.consultant_lan).read(["target_principal"])
        with self.assertRaises(AccessError):
            own.with_user(self.consultant_lan).write({"target_principal": 1})
        with self.assertRaises(AccessError):
            Target.with_user(self.consultant_lan).create({"user_id": self.consultant_lan.id, "month": "2026-05-01"})
        portal = new_test_user(self.env, login="pk_portal", groups="base.group_portal")
        for outsider in (portal, self.env.ref("base.public_user")):
            with self.assertRaises(AccessError):
                Target.with_user(outsider).search([])
            with self.assertRaises(AccessError):
                self.env["pi.kpi.report"].with_user(outsider).search([])


@tagged("pi_bonus", "pi_kpi")
class TestPiKpiDigest(PiKpiCommon):
    """The weekly digest: one e-mail per manager, in the manager's language, with the
    figures that manager may see (never as superuser)."""

    def test_digest_in_vietnamese_for_vietnamese_manager(self):
        other_company = self.env["res.company"].create({"name": "PI chi nhánh test"})
        # a manager of another company only: the digest is rendered with their rights
        outsider = new_test_user(self.env, login="pk_ql_other", name="Quản lý chi nhánh", email="other@pi.example.vn",
                                 groups="base.group_user,pi_crm.group_pi_manager", lang="en_US",
                                 company_id=other_company.id, company_ids=[(6, 0, other_company.ids)])
        self.env["mail.mail"].sudo().search([]).unlink()
        self.env["pi.kpi.report"]._cron_send_weekly_digest(today=datetime.date(2026, 3, 9))
        mails = self.env["mail.mail"].sudo().search([("email_to", "ilike", "ha@pi.example.vn")])
        self.assertEqual(len(mails), 1)
        self.assertIn("Khách hàng tiềm năng mới", mails.body_html, "Vietnamese headers for Hà")
        self.assertIn("02/03/2026", mails.body_html)
        self.assertIn(self.consultant_lan.name, mails.body_html)
        self.assertIn("500.000.000", mails.body_html, "Lan's principal of the week, the Vietnamese way")
        self.assertIn("tuần 02/03/2026", mails.subject)
        self.assertEqual(mails.author_id, self.manager.partner_id, "sent as the manager, not as OdooBot")
        other = self.env["mail.mail"].sudo().search([("email_to", "ilike", "other@pi.example.vn")])
        self.assertEqual(len(other), 1)
        self.assertIn("Nothing was recorded last week", other.body_html, "English, and no other company's figures")
        self.assertNotIn(self.consultant_lan.name, other.body_html)
        self.assertTrue(outsider)

    def test_digest_fields_are_managers_only(self):
        with self.assertRaises(AccessError):
            self.consultant_lan.with_user(self.consultant_lan).read(["pi_kpi_digest_html"])
