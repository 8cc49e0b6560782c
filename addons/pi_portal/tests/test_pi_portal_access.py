import re
import urllib.parse

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import PiPortalCommon, PiPortalHttpCommon, new_investor


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalAccess(PiPortalHttpCommon):
    """Investor A reaches A's contracts and files only; everything else answers 404."""

    def assert_not_found(self, url):
        # Redirects followed: with more than one language active, Odoo first sends a
        # Vietnamese visitor to the /vi/ address of the same page.
        response = self.url_open(url)
        self.assertEqual(response.status_code, 404, f"{url} should answer 404, got {response.status_code}")
        for secret in (self.contract_b.name, self.investor_b.name, "800.000.000"):
            self.assertNotIn(secret, response.text)

    def test_list_shows_own_contracts_with_totals_in_vnd(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open("/my/investments")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.contract_a.name, response.text)
        self.assertNotIn(self.contract_b.name, response.text)
        self.assertNotIn(self.draft_a.name, response.text, "a draft is the office's, not shown")
        self.assertIn("1.500.000.000\N{NO-BREAK SPACE}₫", response.text)
        # valued on the investor's own day (their time zone), as the page says
        investor = self.env["res.users"].search([("login", "=", "pp_hung")])
        value = self.contract_a.compute_payout(fields.Date.context_today(self.contract_a.with_user(investor)))["payout"]
        self.assertIn(f"{value:,}".replace(",", "."), response.text)
        # Filter and sort keep to A's contracts.
        closed = self.url_open("/my/investments?filterby=closed&sortby=principal")
        self.assertNotIn(self.contract_a.name, closed.text)
        self.assertIn(self.contract_a.name, self.url_open("/my/investments?sortby=bogus&filterby=bogus").text)

    def test_detail_shows_payout_breakdown_dates_and_documents(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open(f"/my/investments/{self.contract_a.id}")
        self.assertEqual(response.status_code, 200)
        payout = self.contract_a.compute_payout()
        for key in ("principal", "base_profit", "fee", "investor_profit", "payout"):
            self.assertIn(f"{payout[key]:,}".replace(",", "."), response.text, key)
        self.assertIn("01/01/2026", response.text)
        self.assertIn("01/01/2027", response.text)
        self.assertIn("pi_portal_chart", response.text)
        self.assertIn(f"/attachments/{self.statement_a.id}", response.text)
        self.assertNotIn(f"/attachments/{self.internal_a.id}", response.text)
        self.assertIn('id="discussion"', response.text)

    def test_other_investors_ids_answer_not_found(self):
        self.authenticate("pp_hung", "pp_hung")
        base_b = f"/my/investments/{self.contract_b.id}"
        base_a = f"/my/investments/{self.contract_a.id}"
        self.assert_not_found(base_b)
        self.assert_not_found(f"{base_b}?report_type=pdf&download=true")
        self.assert_not_found(f"{base_b}/attachments/{self.statement_b.id}")
        self.assert_not_found(f"{base_b}/attachments/{self.document_b.id}")
        # B's files through A's own contract: still not found.
        self.assert_not_found(f"{base_a}/attachments/{self.statement_b.id}")
        self.assert_not_found(f"{base_a}/attachments/{self.document_b.id}")
        # A's internal note file and draft contract: not found either.
        self.assert_not_found(f"{base_a}/attachments/{self.internal_a.id}")
        self.assert_not_found(f"/my/investments/{self.draft_a.id}")
        self.assert_not_found("/my/investments/999999999")
        response = self.url_open(f"{base_b}/request", data={"kind": "settle", "desired_date": "2026-12-31",
                                                             "csrf_token": self.csrf_from(base_a)})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["pi.portal.request"].search([("contract_id", "=", self.contract_b.id)]))

    def test_owner_downloads_contract_pdf_and_statement(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open(f"/my/investments/{self.contract_a.id}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        self.assertIn(self.contract_a.name, response.text)  # test mode renders the report as HTML
        statement = self.url_open(f"/my/investments/{self.contract_a.id}/attachments/{self.statement_a.id}")
        self.assertEqual(statement.status_code, 200)
        self.assertEqual(statement.content, b"%PDF-1.4 statement sao-ke-a.pdf")

    def test_anonymous_needs_a_valid_token(self):
        url = f"/my/investments/{self.contract_a.id}"
        self.assert_not_found(url)
        self.assert_not_found(f"{url}?access_token=wrong-token")
        self.assert_not_found(f"{url}/attachments/{self.statement_a.id}")
        token = self.contract_a._portal_ensure_token()
        self.assert_not_found(f"/my/investments/{self.contract_b.id}?access_token={token}")
        response = self.url_open(f"{url}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.contract_a.name, response.text)
        self.assertNotIn("pi_form_renew", response.text, "only the logged-in owner can send requests")
        pdf = self.url_open(f"{url}?report_type=pdf&access_token={token}")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(self.url_open(f"{url}/attachments/{self.statement_a.id}?access_token={token}").status_code,
                         200)
        # The token of a draft opens nothing.
        draft_token = self.draft_a._portal_ensure_token()
        self.assert_not_found(f"/my/investments/{self.draft_a.id}?access_token={draft_token}")

    def test_home_counter_and_account_page_redirect(self):
        self.authenticate("pp_hung", "pp_hung")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["investment_count", "pi_request_count"]})
        self.assertEqual(counters["investment_count"], 1)
        self.assertEqual(counters["pi_request_count"], 0)
        home = self.url_open("/my")
        self.assertIn("/my/investments", home.text)
        response = self.url_open("/my/account")  # whether or not through the /vi/ address
        self.assertTrue(response.history, "redirected")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(urllib.parse.urlsplit(response.url).path.endswith("/my/investor"), response.url)

    def test_document_download_keeps_vietnamese_accents_in_its_file_name(self):
        """RFC 6266: ``filename*=UTF-8''…`` carries the accented name to the browser."""
        document = self.contract_a._attach_document(self.env.ref("pi_contracts.document_template_settlement"))
        reference = self.contract_a.name.replace("/", "-")
        self.assertEqual(document.name, f"Biên bản tất toán - {reference}.pdf")
        self.authenticate("pp_hung", "pp_hung")
        self.assertIn(document.name, self.url_open(f"/my/investments/{self.contract_a.id}").text)
        response = self.url_open(f"/my/investments/{self.contract_a.id}/attachments/{document.id}")
        self.assertEqual(response.status_code, 200)
        disposition = response.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment"), disposition)
        self.assertIn("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20t%E1%BA%A5t%20to%C3%A1n%20-%20", disposition)
        self.assertEqual(urllib.parse.unquote(disposition.split("UTF-8''")[1]), document.name)
        # The contract document printed on the fly: its name as printed, not stock's "Hợp_đồng_HD_2026_…".
        response = self.url_open(f"/my/investments/{self.contract_a.id}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        disposition = response.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment"), disposition)
        self.assertEqual(urllib.parse.unquote(disposition.split("UTF-8''")[1]), f"Hợp đồng - {reference}.pdf")


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalRecordRules(PiPortalCommon):
    """What an investor's session reaches over RPC: their own contract's terms, nothing else."""

    def test_investor_reaches_only_own_contract_terms(self):
        Contract = self.env["pi.investment.contract"].with_user(self.user_a)
        self.assertEqual(Contract.search([]), self.contract_a)
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_b.id).read(["principal"])
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_a.id).read(["note"])
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_a.id).write({"principal": 1})
        with self.assertRaises(AccessError):
            self.env["pi.financial.policy"].with_user(self.user_a).search([])
        with self.assertRaises(AccessError):
            self.env["pi.fee.tier"].with_user(self.user_a).search([])
        self.assertEqual(Contract.browse(self.contract_a.id).compute_payout()["principal"], 1_500_000_000)
        with self.assertRaises(AccessError):
            Contract.browse(self.contract_b.id).compute_payout()


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalInvestmentsPager(PiPortalHttpCommon):
    """Investor C Hương has 23 active contracts: 20 on the first page of her list, 3 on the second."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.investor_c, cls.user_c = new_investor(
            cls.env, "Đặng Thu Hương", cls.consultant_lan, login="pp_huong", pi_gender="female",
            email="pp_huong@example.vn")
        cls.contracts_c = cls.env["pi.investment.contract"].create([
            {"partner_id": cls.investor_c.id, "product_id": cls.product.id, "user_id": cls.consultant_lan.id,
             "principal": 100_000_000 + number * 10_000_000, "date_start": cls.start}
            for number in range(23)])
        cls.contracts_c.action_activate()

    def listed(self, url):
        """The ids of the contracts the list page at ``url`` links to."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return {int(contract_id) for contract_id in re.findall(r'href="[^"]*/my/investments/(\d+)"', response.text)}

    def test_23_contracts_are_listed_20_then_3(self):
        self.authenticate("pp_huong", "pp_huong")
        newest_first = self.contracts_c.sorted("id", reverse=True).ids  # the default order: newest, then id
        self.assertEqual(self.listed("/my/investments"), set(newest_first[:20]))
        self.assertEqual(self.listed("/my/investments/page/2"), set(newest_first[20:]))
        # The pager's link, with the chosen order and filter kept.
        page_1 = self.url_open("/my/investments?sortby=principal&filterby=active").text
        self.assertRegex(page_1, r'href="[^"]*/my/investments/page/2\?[^"]*sortby=principal')
        largest_first = self.contracts_c.sorted("principal", reverse=True).ids
        self.assertEqual(self.listed("/my/investments?sortby=principal&filterby=active"), set(largest_first[:20]))
        self.assertEqual(self.listed("/my/investments/page/2?sortby=principal&filterby=active"),
                         set(largest_first[20:]))

    def test_totals_count_every_page_and_nobody_elses_contracts(self):
        self.authenticate("pp_huong", "pp_huong")
        total = format_amount(self.env(context={"lang": "vi_VN"}), sum(self.contracts_c.mapped("principal")),
                              self.env.ref("base.VND"))
        others = (self.contract_a | self.draft_a | self.contract_b).ids
        for url in ("/my/investments", "/my/investments/page/2"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(total, response.text, "the totals are those of all 23 contracts")
                self.assertIn("23 ", response.text.split("pi_total_principal", 1)[1][:400])
                self.assertFalse(self.listed(url) & set(others))
                for name in (self.contract_a.name, self.contract_b.name, self.investor_a.name):
                    self.assertNotIn(name, response.text)
        # And investor A, on either page, sees his one contract only.
        self.authenticate("pp_hung", "pp_hung")
        for url in ("/my/investments", "/my/investments/page/2"):
            with self.subTest(investor="A", url=url):
                self.assertEqual(self.listed(url), {self.contract_a.id})
