from odoo.tests import freeze_time, tagged

from .common import PiPortalHttpCommon


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalBadInput(PiPortalHttpCommon):
    """Whatever an investor posts or types in the address bar: an answer with a
    message, a redirect or a 404, never a server error, and nothing half written."""

    def setUp(self):
        super().setUp()
        self.authenticate("pp_hung", "pp_hung")
        self.Request = self.env["pi.portal.request"]

    def post_update(self, **data):
        data.setdefault("csrf_token", self.csrf_from("/my/investor"))
        return self.url_open("/my/investor/request", data=data)

    def post_contract_request(self, target=None, files=None, **data):
        data.setdefault("csrf_token", self.csrf_from(f"/my/investments/{self.contract_a.id}"))
        return self.url_open(f"/my/investments/{target or self.contract_a.id}/request", data=data, files=files)

    def assert_refused_with(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("request_sent", response.url)
        self.assertIn(message, response.text)
        self.assertFalse(self.Request.search([("partner_id", "=", self.investor_a.id)]), "nothing written")

    def test_extra_fields_are_ignored(self):
        response = self.post_update(kind="contact_update", email="hung.moi@example.vn",
                                    contract=str(self.contract_b.id), partner=str(self.investor_b.id),
                                    partner_id=str(self.manager.partner_id.id),
                                    new_email="attacker@evil.example", user_id=str(self.consultant_minh.id),
                                    state="done", unknown_key="x")
        self.assertEqual(response.status_code, 200)
        self.assertIn("request_sent=contact_update", response.url)
        portal_request = self.Request.search([("partner_id", "=", self.investor_a.id)])
        self.assertEqual(len(portal_request), 1)
        self.assertEqual((portal_request.kind, portal_request.state), ("contact_update", "new"))
        self.assertEqual(portal_request.new_email, "hung.moi@example.vn")
        self.assertFalse(portal_request.contract_id)
        self.assertEqual(portal_request.user_id, self.consultant_lan)
        self.assertFalse(self.Request.search([("partner_id", "in", (self.investor_b | self.manager.partner_id).ids)]))
        # The same on the contract's form: the posted ``partner`` goes nowhere.
        response = self.post_contract_request(kind="renew", desired_date="2026-12-31", partner=str(self.investor_b.id),
                                              contract_id=str(self.contract_b.id), contract=str(self.contract_b.id))
        self.assertIn("request_sent=renew", response.url)
        self.assertEqual(self.Request.search([("kind", "=", "renew")]).partner_id, self.investor_a)

    def test_fields_of_the_other_form_are_ignored(self):
        response = self.post_update(kind="contact_update", bank_account="0071000123456", bank_name="Vietcombank")
        self.assert_refused_with(response, "điền ít nhất một thông tin mới")

    def test_missing_and_bad_values_are_explained_in_vietnamese(self):
        cases = [
            ({"kind": "contact_update"}, "điền ít nhất một thông tin mới"),
            ({"kind": "contact_update", "email": "hanh.do@@example"}, "Địa chỉ email không hợp lệ"),
            ({"kind": "contact_update", "street": "x" * 100_000}, "tối đa 256 ký tự"),
            ({"kind": "contact_update", "phone": "9" * 5000}, "tối đa 32 ký tự"),
            ({"kind": "contact_update", "phone": "0912 34"}, "Số điện thoại «0912 34» không hợp lệ"),
            ({"kind": "bank_update", "bank_name": "Vietcombank"}, "điền ngân hàng và số tài khoản"),
            ({"kind": "bank_update", "bank_name": "Vietcombank", "bank_account": "12ab"}, "6 đến 20 chữ số"),
            ({"kind": "bank_update", "bank_name": "V" * 129, "bank_account": "0071000123456"}, "tối đa 128 ký tự"),
        ]
        for data, message in cases:
            with self.subTest(data={key: value[:20] for key, value in data.items()}):
                self.assert_refused_with(self.post_update(**data), message)

    def test_unknown_kind_is_not_found(self):
        for kind in ("", "wire_transfer", "renew"):
            with self.subTest(kind=kind):
                response = self.post_update(kind=kind, email="hung.moi@example.vn")
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self.Request.search([("partner_id", "=", self.investor_a.id)]))

    def test_control_characters_and_files_never_reach_the_database(self):
        response = self.url_open("/my/investor/request", data={
            "kind": "contact_update", "street": "12 Lê\x00 Lợi", "city": "Huế\x07",
            "csrf_token": self.csrf_from("/my/investor")}, files={"phone": ("phone.txt", b"0903111222")})
        self.assertIn("request_sent=contact_update", response.url)
        portal_request = self.Request.search([("partner_id", "=", self.investor_a.id)])
        self.assertEqual((portal_request.new_street, portal_request.new_city), ("12 Lê Lợi", "Huế"))
        self.assertFalse(portal_request.new_phone, "a file is not a phone number")
        # A file as the note of a renewal: ignored as well.
        response = self.post_contract_request(kind="renew", desired_date="2026-12-31",
                                              files={"note": ("note.txt", b"hello")})
        self.assertIn("request_sent=renew", response.url)
        self.assertFalse(self.Request.search([("kind", "=", "renew")]).note)

    def test_bad_dates_and_notes_on_a_contract_request(self):
        cases = [
            ("", "chọn ngày mong muốn"),
            ("abc", "Ngày không hợp lệ"),
            ("2026-02-30", "Ngày không hợp lệ"),
            ("31/12/2026", "Ngày không hợp lệ"),
            ("2026-12-31" + "9" * 100, "tối đa 32 ký tự"),
            ("2020-01-01", "không được là ngày trong quá khứ"),
        ]
        for desired_date, message in cases:
            with self.subTest(desired_date=desired_date[:20]):
                self.assert_refused_with(self.post_contract_request(kind="settle", desired_date=desired_date), message)
        self.assert_refused_with(self.post_contract_request(kind="settle", desired_date="2026-12-31", note="x" * 2001),
                                 "tối đa 2000 ký tự")
        self.assertEqual(self.post_contract_request(kind="transfer", desired_date="2026-12-31").status_code, 404)
        self.assertFalse(self.Request.search([("partner_id", "=", self.investor_a.id)]))

    def test_other_peoples_and_malformed_ids_are_not_found(self):
        for url in ("/my/investments/abc", "/my/investments/-1", f"/my/investments/{self.contract_a.id}abc",
                    f"/my/investments/{self.contract_a.id}/attachments/abc",
                    f"/my/investments/{self.contract_a.id}/attachments/{self.statement_b.id}",
                    "/my/investments/99999999999999999999"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        for contract_id in (self.contract_b.id, self.draft_a.id, 999_999_999):
            with self.subTest(contract_id=contract_id):
                response = self.post_contract_request(target=contract_id, kind="renew", desired_date="2026-12-31")
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self.Request.search([]))

    def test_list_page_with_odd_arguments(self):
        for url in ("/my/investments?page=abc", "/my/investments?page=-3", "/my/investments/page/0",
                    "/my/investments/page/999", "/my/investments?sortby=name%00&filterby=" + "x" * 5000,
                    f"/my/investments/{self.contract_a.id}?report_type=xml&download=maybe",
                    f"/my/investments/{self.contract_a.id}?access_token=" + "x" * 5000,
                    "/my/investor?request_sent=<script>alert(1)</script>"):
            with self.subTest(url=url[:80]):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<script>alert(1)</script>", response.text)

    def test_home_opens_when_the_consultant_has_no_email(self):
        self.consultant_lan.partner_id.email = False
        for url in ("/my", "/my/home", "/my/investments", f"/my/investments/{self.contract_a.id}", "/my/investor"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
        home = self.url_open("/my")
        self.assertIn(self.consultant_lan.name, home.text)
        self.assertNotIn("mailto:False", home.text)
        # With an email, the stock contact box still shows it.
        self.consultant_lan.partner_id.email = "lan@pi.example.vn"
        self.assertIn("mailto:lan@pi.example.vn", self.url_open("/my").text)
