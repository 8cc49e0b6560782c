import datetime
import re

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PiPortalCommon, PiPortalHttpCommon


def vnd(amount):
    """An amount as a Vietnamese investor reads it: 1.500.000.000 ₫."""
    return f"{int(amount):,}".replace(",", ".") + "\N{NO-BREAK SPACE}₫"


class StatementFixture:
    """Investor A (Hùng): two sent weekly statements (09–15/11 and 02–08/11/2026) on contract_a,
    and a quarterly one still pending; investor B (Tuấn): one sent statement on contract_b."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.week = datetime.date(2026, 11, 15)
        cls.stmt_a = cls.new_statement(cls.investor_a, cls.contract_a, cls.week)
        cls.stmt_a_old = cls.new_statement(cls.investor_a, cls.contract_a, cls.week - datetime.timedelta(days=7))
        cls.stmt_a_pending = cls.new_statement(cls.investor_a, cls.contract_a, datetime.date(2026, 9, 30),
                                               period="quarterly", state="pending")
        cls.stmt_b = cls.new_statement(cls.investor_b, cls.contract_b, cls.week)


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalStatementPages(StatementFixture, PiPortalHttpCommon):
    """/my/statements, one statement and its PDF: the owner's only; anything else answers 404."""

    def assert_not_found(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 404, f"{url} should answer 404, got {response.status_code}")
        self.assertNotIn("pi_statement_figures", response.text)
        self.assertNotIn(b"%PDF", response.content)

    def test_owner_sees_list_newest_first_in_vietnamese(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open("/my/statements")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Sao kê tuần", text)
        newest, older = "09/11/2026 – 15/11/2026", "02/11/2026 – 08/11/2026"
        self.assertIn(newest, text)
        self.assertLess(text.index(newest), text.index(older), "newest first")
        line = self.stmt_a.line_ids
        for amount in (line.value, line.profit_to_date, line.profit_period):
            self.assertIn(vnd(amount), text)
        self.assertIn(f'href="/my/statements/{self.stmt_a.id}/pdf"', text)
        self.assertNotIn("30/09/2026", text, "a pending statement is the office's")
        self.assertNotIn(f"/my/statements/{self.stmt_b.id}", text)
        self.assertIn('<li class="breadcrumb-item active">Sao kê</li>', text)

    def test_list_is_paged(self):
        for week in range(2, 22):
            self.new_statement(self.investor_a, self.contract_a, self.week - datetime.timedelta(weeks=week))
        first = self.url_open("/my/statements")
        self.assertIn("/web/login", first.url, "anonymous: the login page")
        self.authenticate("pp_hung", "pp_hung")
        first = self.url_open("/my/statements").text
        self.assertEqual(first.count("pi_statement_card"), 20)
        self.assertIn("/my/statements/page/2", first)
        second = self.url_open("/my/statements/page/2").text
        self.assertEqual(second.count("pi_statement_card"), 2)
        self.assertIn("15/06/2026", second, "the oldest of the 22 on the second page")

    def test_owner_sees_detail_and_downloads_the_pdf(self):
        self.authenticate("pp_hung", "pp_hung")
        detail = self.url_open(f"/my/statements/{self.stmt_a.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn(self.contract_a.name, detail.text)
        self.assertIn(vnd(self.stmt_a.line_ids.value), detail.text)
        self.assertIn(vnd(self.contract_a.principal), detail.text)
        self.assertIn('<a href="/my/statements">Sao kê</a>', detail.text)
        pdf = self.url_open(f"/my/statements/{self.stmt_a.id}/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(pdf.content, self.stmt_a.attachment_id.raw)
        disposition = pdf.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment"), disposition)
        self.assertIn("09-11-2026", disposition)

    def test_contract_page_lists_its_statements_for_the_owner(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open(f"/my/investments/{self.contract_a.id}")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("09/11/2026 – 15/11/2026", text)
        self.assertIn(f'href="/my/statements/{self.stmt_a.id}/pdf"', text)
        self.assertIn(f'href="/my/statements/{self.stmt_a_old.id}/pdf"', text)
        line = self.stmt_a.line_ids
        for amount in (line.value, line.profit_to_date, line.profit_period):
            self.assertIn(vnd(amount), text)
        self.assertNotIn("30/09/2026", text)
        # The messages PI sent him stay listed, with their files.
        self.assertIn(f"/attachments/{self.statement_a.id}", text)
        # A visitor with the contract's link only: no statement, no PDF link.
        token = self.contract_a._portal_ensure_token()
        self.logout()
        shared = self.url_open(f"/my/investments/{self.contract_a.id}?access_token={token}")
        self.assertEqual(shared.status_code, 200)
        self.assertNotIn("/my/statements/", shared.text)

    def test_other_investor_gets_not_found(self):
        self.authenticate("pp_tuan", "pp_tuan")
        self.assertEqual(self.url_open(f"/my/statements/{self.stmt_b.id}/pdf").status_code, 200)
        for statement in (self.stmt_a, self.stmt_a_old, self.stmt_a_pending):
            self.assert_not_found(f"/my/statements/{statement.id}")
            self.assert_not_found(f"/my/statements/{statement.id}/pdf")
        self.assertNotIn(f"/my/statements/{self.stmt_a.id}", self.url_open("/my/statements").text)

    def test_not_sent_missing_and_malformed_ids_are_not_found(self):
        self.authenticate("pp_hung", "pp_hung")
        no_pdf = self.new_statement(self.investor_a, self.contract_a, datetime.date(2026, 10, 25), pdf=False)
        self.assertEqual(self.url_open(f"/my/statements/{no_pdf.id}").status_code, 200)
        for url in (f"/my/statements/{self.stmt_a_pending.id}", f"/my/statements/{self.stmt_a_pending.id}/pdf",
                    f"/my/statements/{no_pdf.id}/pdf", "/my/statements/999999999", "/my/statements/0",
                    "/my/statements/-1", "/my/statements/abc", f"/my/statements/{self.stmt_a.id}abc/pdf",
                    "/my/statements/99999999999999999999", "/my/statements/99999999999999999999/pdf",
                    "/my/statements/2147483648/pdf", "/my/statements/page/abc"):
            with self.subTest(url=url):
                self.assert_not_found(url)
        for url in ("/my/statements?page=abc", "/my/statements/page/999", "/my/statements?preferences_saved=<b>x</b>"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<b>x</b>", response.text)

    def test_anonymous_is_sent_to_the_login_page(self):
        for url in ("/my/statements", f"/my/statements/{self.stmt_a.id}", f"/my/statements/{self.stmt_a.id}/pdf"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("/web/login", response.url)
                self.assertIn("redirect=", response.url)
                self.assertNotIn("pi_statement_figures", response.text)
                self.assertNotIn(b"%PDF", response.content)

    def test_home_counts_the_sent_statements(self):
        self.authenticate("pp_hung", "pp_hung")
        self.assertIn('href="/my/statements"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pi_statement_count"]})
        self.assertEqual(counters["pi_statement_count"], 2)
        self.authenticate("pp_tuan", "pp_tuan")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pi_statement_count"]})
        self.assertEqual(counters["pi_statement_count"], 1)


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalStatementPreferences(StatementFixture, PiPortalHttpCommon):
    """The investor chooses how and how often PI sends statements: their own two fields, nothing else."""

    def post_preferences(self, **data):
        data.setdefault("csrf_token", self.csrf_from("/my/statements"))
        return self.url_open("/my/statements/preferences", data=data)

    def preferences(self, partner):
        return partner.pi_statement_channel, partner.pi_statement_frequency

    def test_owner_saves_preferences_and_nothing_else(self):
        self.authenticate("pp_hung", "pp_hung")
        page = self.url_open("/my/statements").text
        self.assertIn("Cách nhận sao kê", page)
        self.assertRegex(page, r'value="email" selected="(True|selected)"')
        # Every choice offered is one the model accepts, and the other way round.
        for name, form_field in (("pi_statement_channel", "channel"), ("pi_statement_frequency", "frequency")):
            offered = re.search(f'<select[^>]*name="{form_field}"[^>]*>(.*?)</select>', page, re.S).group(1)
            self.assertEqual(re.findall(r'value="(\w+)"', offered),
                             [value for value, _label in self.env["res.partner"]._fields[name].selection])
        before_b = self.preferences(self.investor_b)
        response = self.post_preferences(channel="sms", frequency="quarterly", partner_id=str(self.investor_b.id),
                                         name="Kẻ gian", email="attacker@evil.example",
                                         pi_statement_channel="none")
        self.assertEqual(response.status_code, 200)
        self.assertIn("preferences_saved=1", response.url)
        self.assertIn("Đã lưu lựa chọn", response.text)
        self.assertEqual(self.preferences(self.investor_a), ("sms", "quarterly"))
        self.assertEqual((self.investor_a.name, self.investor_a.email), ("Lê Văn Hùng", "pp_hung@example.vn"))
        self.assertEqual(self.preferences(self.investor_b), before_b, "another investor's partner untouched")
        self.assertRegex(response.text, r'value="sms" selected="(True|selected)"')

    def test_bad_values_answer_400_in_vietnamese(self):
        self.authenticate("pp_hung", "pp_hung")
        cases = [{"channel": "fax", "frequency": "weekly"}, {"channel": "email", "frequency": "daily"},
                 {"channel": "email"}, {}, {"channel": "x" * 5000, "frequency": "weekly"},
                 {"channel": "Email", "frequency": "weekly"}]
        for data in cases:
            with self.subTest(data={key: value[:10] for key, value in data.items()}):
                response = self.post_preferences(**data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Anh/Chị vui lòng chọn cách nhận sao kê trong danh sách", response.text)
                self.assertEqual(self.preferences(self.investor_a), ("email", "weekly"), "nothing written")

    def test_without_csrf_token_nothing_is_written(self):
        self.authenticate("pp_hung", "pp_hung")
        with mute_logger("odoo.http"):
            response = self.url_open("/my/statements/preferences", data={"channel": "none", "frequency": "none"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.preferences(self.investor_a), ("email", "weekly"))

    def test_non_investors_have_no_preferences_form(self):
        """A portal user without a contract, or a PI user: no form, and the POST answers 404."""
        visitor = new_test_user(self.env, login="pp_khach", password="pp_khach", groups="base.group_portal")
        for login, partner in (("pp_khach", visitor.partner_id), ("pp_tv_lan", self.consultant_lan.partner_id)):
            with self.subTest(login=login):
                if login == "pp_tv_lan":
                    self.consultant_lan.password = "pp_tv_lan"
                self.authenticate(login, login)
                page = self.url_open("/my/statements")
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("pi_form_statement_preferences", page.text)
                self.assertNotIn(f"/my/statements/{self.stmt_a.id}", page.text)
                before = self.preferences(partner.commercial_partner_id)
                response = self.url_open("/my/statements/preferences", data={
                    "channel": "none", "frequency": "none", "csrf_token": self.csrf_from("/my/security")})
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self.preferences(partner.commercial_partner_id), before)


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalStatementRpc(StatementFixture, PiPortalCommon):
    """Over RPC a portal user reads their own sent statements and lines, nothing else."""

    def test_investor_reads_only_own_sent_statements(self):
        Statement = self.env["pi.investment.statement"].with_user(self.user_a)
        self.assertEqual(Statement.search([]), self.stmt_a | self.stmt_a_old)
        self.assertEqual(Statement.search_count([("partner_id", "=", self.investor_b.id)]), 0)
        self.assertEqual(self.env["pi.investment.statement.line"].with_user(self.user_a).search([]),
                         (self.stmt_a | self.stmt_a_old).line_ids)
        self.assertEqual(Statement.browse(self.stmt_a.id).read(["date_to"])[0]["date_to"], self.week)
        for statement in (self.stmt_b, self.stmt_a_pending):
            with self.subTest(statement=statement.name), self.assertRaises(AccessError):
                Statement.browse(statement.id).read(["date_to"])
            with self.subTest(statement=statement.name), self.assertRaises(AccessError):
                self.env["pi.investment.statement.line"].with_user(self.user_a).browse(
                    statement.line_ids.id).read(["value"])
        # The PDFs come only through /my/statements/<id>/pdf: portal users read no attachment over RPC.
        for statement in (self.stmt_b, self.stmt_a):
            with self.subTest(pdf=statement.name), self.assertRaises(AccessError):
                self.env["ir.attachment"].with_user(self.user_a).browse(statement.attachment_id.id).read(["raw"])

    def test_investor_cannot_change_statements_or_read_internal_fields(self):
        statement = self.env["pi.investment.statement"].with_user(self.user_a).browse(self.stmt_a.id)
        with self.assertRaises(AccessError):
            statement.read(["failure_reason"])
        with self.assertRaises(AccessError):
            statement.write({"state": "failed"})
        with self.assertRaises(AccessError):
            statement.line_ids.write({"value": 1})
        with self.assertRaises(AccessError):
            statement.unlink()
        with self.assertRaises(AccessError):
            statement.create({"run_id": self.stmt_a.run_id.id, "partner_id": self.investor_a.id})
        with self.assertRaises(AccessError):
            self.env["pi.statement.run"].with_user(self.user_a).browse(self.stmt_a.run_id.id).read(["name"])

    def test_public_user_reads_nothing(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["pi.investment.statement"].with_user(public).search([])
