import json
import pathlib
import re
from unittest.mock import patch

from babel.messages import extract

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.translate import code_translations

from odoo.addons.pi_crm.models.pi_api_call import DEFAULT_RETENTION_DAYS, FOLLOWUP_ATTEMPTS, FOLLOWUP_GRACE_SECONDS
from odoo.addons.pi_crm.models.pi_integration_key import RATE_WINDOW_SECONDS
from odoo.addons.pi_crm.tools import intake_validation
from odoo.addons.pi_crm.tools.intake_validation import MAX_BODY_BYTES, MAX_JSON_DEPTH

LEADS = "/pi/api/v1/leads"
PBX = "/pi/api/v1/pbx/incoming"


@tagged("post_install", "-at_install", "pi_intake")
class TestIntakeApi(HttpCase):
    """The website and the switchboard, seen from outside:

        keys: "Website" (website), "Tổng đài" (pbx), each run as the technical user
        consultant Lan ── customer Hùng, mobile 0912 700 701, landline 024 3771 9001
        sales team "Tư vấn" ── leader: manager Hà, member: consultant Minh
        lead "Chị Mai" ── phone 0987 654 321, assigned to Minh
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_lan = new_test_user(
            cls.env, login="test_intake_lan", name="Nguyễn Thị Lan", groups="base.group_user,pi_crm.group_pi_consultant"
        )
        cls.consultant_minh = new_test_user(
            cls.env, login="test_intake_minh", name="Trần Văn Minh", groups="base.group_user,pi_crm.group_pi_consultant"
        )
        cls.manager = new_test_user(
            cls.env, login="test_intake_ha", name="Phạm Thu Hà", groups="base.group_user,pi_crm.group_pi_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Tư vấn", "user_id": cls.manager.id, "member_ids": [(6, 0, [cls.consultant_minh.id])]}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Lê Văn Hùng",
                "mobile": "0912 700 701",
                "phone": "024 3771 9001",
                "email": "hung.le.intake@example.vn",
                "country_id": cls.env.ref("base.vn").id,
                "user_id": cls.consultant_lan.id,
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Chị Mai quan tâm BCC",
                "contact_name": "Trần Thị Mai",
                "phone": "0987 654 321",
                "country_id": cls.env.ref("base.vn").id,
                "user_id": cls.consultant_minh.id,
                "team_id": cls.team.id,
            }
        )
        Key = cls.env["pi.integration.key"]
        cls.web_key = Key.create({"name": "Website", "kind": "website"})
        cls.web_plain = cls.web_key._generate_key()
        cls.pbx_key = Key.create({"name": "Tổng đài", "kind": "pbx"})
        cls.pbx_plain = cls.pbx_key._generate_key()

    # ------------------------------------------------------------------ helpers
    def post(self, path, payload, key=None, content_type="application/json"):
        headers = {"Content-Type": content_type}
        if key:
            headers["X-PI-Key"] = key
        data = json.dumps(payload) if content_type == "application/json" and not isinstance(payload, str) else payload
        response = self.url_open(path, data=data, headers=headers)
        # The switchboard's follow-up (history, live notice) runs in the server
        # thread after the answer is sent: wait for that thread to finish.
        self._wait_remaining_requests()
        self.env.invalidate_all()
        return response

    def lead_count(self):
        return self.env["crm.lead"].with_context(active_test=False).search_count([])

    def last_call(self):
        return self.env["pi.api.call"].search([], limit=1)

    def bus_notices(self, user):
        self.env.flush_all()
        self.env.cr.precommit.run()
        notices = self.env["bus.bus"].sudo().search([("message", "like", "pi_crm.incoming_call")])
        return [
            json.loads(notice.message)["payload"]
            for notice in notices
            if json.loads(notice.channel)[1:] == ["res.partner", user.partner_id.id]
        ]

    # ------------------------------------------------------------------ keys
    def test_missing_wrong_and_revoked_key_are_refused(self):
        payload = {"name": "Khách A", "phone": "0903 111 222"}
        count = self.lead_count()
        response = self.post(LEADS, payload)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "missing_key")
        response = self.post(LEADS, payload, key=self.web_plain[:-2] + "xx")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "invalid_key")
        self.assertEqual(self.post(LEADS, payload, key="not-a-key").status_code, 401)
        self.assertEqual(self.lead_count(), count, "no lead without a valid key")

        self.assertEqual(self.post(LEADS, payload, key=self.web_plain).status_code, 201)
        self.web_key.action_revoke()
        response = self.post(LEADS, {"name": "Khách B", "phone": "0903 111 333"}, key=self.web_plain)
        self.assertEqual(response.status_code, 401, "a revoked key stops at the next call")
        with self.assertRaises(UserError):
            self.web_key.active = True

    def test_unknown_key_does_not_reveal_a_known_number(self):
        response = self.post(PBX, {"caller": "0912 700 701"}, key="pik_00000000_guess")
        self.assertEqual(response.status_code, 401)
        self.assertNotIn("Hùng", response.text)
        self.assertNotIn("partner", response.text)

    def test_key_of_the_other_kind_is_forbidden(self):
        response = self.post(PBX, {"caller": "0912 700 701"}, key=self.web_plain)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Hùng", response.text)

    def test_key_is_stored_hashed_and_calls_logged_without_it(self):
        self.post(LEADS, {"name": "Khách C", "email": "c@example.vn"}, key=self.web_plain)
        stored = self.web_key.sudo().read()[0]
        self.assertFalse([name for name, value in stored.items() if self.web_plain in str(value)])
        call = self.last_call()
        self.assertEqual((call.key_id, call.endpoint, call.status_code, call.result),
                         (self.web_key, "leads", 201, "created"))
        self.assertFalse([name for name, value in call.read()[0].items() if self.web_plain in str(value)])

    def test_generate_key_shows_it_once(self):
        key = self.env["pi.integration.key"].create({"name": "Website mới", "kind": "website"})
        action = key.action_generate_key()
        plain = action["context"]["default_key"]
        self.assertTrue(plain.startswith(f"pik_{key.key_prefix}_"))
        self.assertEqual(self.env["pi.integration.key"]._authenticate(plain), key)
        with self.assertRaises(UserError):
            key.action_generate_key()

    def test_technical_user_cannot_read_keys_or_log(self):
        intake_user = self.env.ref("pi_crm.user_pi_intake")
        self.assertFalse(intake_user.active, "the technical user cannot log in")
        for model in ("pi.integration.key", "pi.api.call"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(intake_user).search([])
        self.assertFalse(intake_user.has_group("pi_crm.group_pi_consultant"))

    # ------------------------------------------------------------------ leads
    def test_new_lead_is_created_from_json(self):
        response = self.post(
            LEADS,
            {
                "name": "Phạm Quốc Bảo",
                "phone": "0903 456 700",
                "email": "Bao.Pham@Example.VN",
                "gender": "male",
                "interest": "invest",
                "amount": 500000000,
                "note": "Gọi sau 18h",
                "utm_source": "facebook",
                "utm_medium": "Website",
            },
            key=self.web_plain,
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertEqual(body["status"], "created")
        lead = self.env["crm.lead"].browse(body["id"])
        self.assertEqual(lead.contact_name, "Phạm Quốc Bảo")
        self.assertEqual(lead.phone_sanitized, "+84903456700")
        self.assertEqual(lead.email_from, "Bao.Pham@example.vn")
        self.assertEqual(lead.source_id.name, "Website")
        self.assertEqual(lead.country_id, self.env.ref("base.vn"), "a +84 number is a Vietnamese contact")
        self.assertEqual(lead.expected_revenue, 500000000)
        self.assertFalse(lead.user_id, "new web leads wait in the managers' queue")
        self.assertIn("Gọi sau 18h", lead.description)
        self.assertIn("facebook", lead.description)
        self.assertEqual(lead.pi_consult_state, "new")
        if self.env["res.lang"]._lang_get("vi_VN"):
            # Staff read the submission in words, not the API's codes.
            self.assertIn("<b>Giới tính:</b> Nam", lead.description)
            self.assertIn("<b>Nhu cầu:</b> Đầu tư", lead.description)
            self.assertIn("500.000.000", lead.description)
            self.assertNotIn("male", lead.description)
            self.assertNotIn("invest<", lead.description)

    def test_form_encoded_submission(self):
        response = self.post(
            LEADS, "name=Ng%C3%B4+Lan&phone=%2B84+903+222+333&interest=newsletter",
            key=self.web_plain, content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 201, response.text)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertEqual((lead.contact_name, lead.phone_sanitized), ("Ngô Lan", "+84903222333"))

    def test_same_phone_in_another_format_merges(self):
        first = self.post(LEADS, {"name": "Đỗ Thị Hoa", "phone": "+84903777888"}, key=self.web_plain)
        self.assertEqual(first.status_code, 201)
        count = self.lead_count()
        second = self.post(
            LEADS, {"name": "Hoa Đỗ", "phone": "0903 777 888", "note": "Muốn gặp trực tiếp"}, key=self.web_plain
        )
        self.assertEqual(second.status_code, 200, second.text)
        self.assertEqual(second.json(), {"id": first.json()["id"], "status": "merged", "model": "crm.lead"})
        self.assertEqual(self.lead_count(), count, "nothing duplicated")
        lead = self.env["crm.lead"].browse(first.json()["id"])
        self.assertIn("Muốn gặp trực tiếp", lead.message_ids[0].body)

    def test_known_customer_merges_on_partner(self):
        count = self.lead_count()
        response = self.post(LEADS, {"name": "Anh Hùng", "email": "HUNG.LE.INTAKE@example.vn"}, key=self.web_plain)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"id": self.customer.id, "status": "merged", "model": "res.partner"})
        self.assertEqual(self.lead_count(), count)
        self.assertIn("Anh Hùng", self.customer.message_ids[0].body)
        self.assertEqual(self.customer.activity_ids.user_id, self.consultant_lan,
                         "the consultant is asked to call back")

    def test_invalid_input_answers_400_per_field(self):
        cases = [
            ({"phone": "0903 111 222"}, "name", "required"),
            ({"name": "Khách"}, "contact", "required"),
            ({"name": "Khách", "phone": "12345"}, "phone", "invalid"),
            ({"name": "Khách", "email": "khach@"}, "email", "invalid"),
            ({"name": "Khách", "email": "k@example.vn", "interest": "lottery"}, "interest", "invalid"),
            ({"name": "Khách", "email": "k@example.vn", "amount": -5}, "amount", "negative"),
            ({"name": 42, "email": "k@example.vn"}, "name", "wrong_type"),
            ({"name": "Khách", "email": "k@example.vn", "amount": "nhiều"}, "amount", "wrong_type"),
        ]
        count = self.lead_count()
        for payload, field, code in cases:
            with self.subTest(field=field, code=code):
                response = self.post(LEADS, payload, key=self.web_plain)
                self.assertEqual(response.status_code, 400, response.text)
                body = response.json()
                self.assertEqual(body["error_codes"][field], code)
                self.assertTrue(body["errors"][field])
        self.assertEqual(self.lead_count(), count)
        self.assertEqual(self.last_call().error_fields, "amount")
        response = self.post(LEADS, {"phone": "0903 111 222"}, key=self.web_plain)
        self.assertEqual(response.json()["errors"]["name"], "Trường này là bắt buộc.")

    def test_answers_are_vietnamese_with_their_values(self):
        """The English msgids come back in Vietnamese (pi_crm's vi.po), the
        placeholders filled, whatever languages the database has installed."""
        response = self.post(LEADS, {"name": "Khách", "phone": "12345", "email": "khach@"}, key=self.web_plain)
        self.assertEqual(response.json()["errors"], {
            "phone": "Số điện thoại «12345» không phải là số hợp lệ. Viết như 0912 345 678 hoặc +84 912 345 678.",
            "email": "Địa chỉ email «khach@» không hợp lệ.",
        })
        response = self.post(LEADS, {"name": "Khách"})
        self.assertEqual(response.json(), {"error": "missing_key", "message": "Thiếu khoá tích hợp (header X-PI-Key)."})
        nested = '{"name": ' + "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1) + "}"
        response = self.post(LEADS, nested, key=self.web_plain)
        self.assertEqual(response.json()["errors"], {"body": f"Nội dung JSON lồng nhau quá {MAX_JSON_DEPTH} cấp."})
        self.web_key.rate_limit = 2  # the two calls above with the key
        response = self.post(LEADS, {"name": "Khách"}, key=self.web_plain)
        self.assertEqual((response.status_code, response.json()["message"]), (429, "Quá số lần gọi cho phép."))

    def test_malformed_body(self):
        response = self.post(LEADS, "{not json", key=self.web_plain)
        self.assertEqual(response.status_code, 400)
        self.assertIn("body", response.json()["errors"])
        self.assertEqual(self.post(LEADS, "[1, 2]", key=self.web_plain).status_code, 400)
        response = self.post(LEADS, "name=x", key=self.web_plain, content_type="text/plain")
        self.assertEqual(response.status_code, 415)

    def test_body_over_64_kb_is_refused(self):
        count = self.lead_count()
        payload = {"name": "Khách", "email": "k@example.vn", "note": "x" * MAX_BODY_BYTES}
        response = self.post(LEADS, payload, key=self.web_plain)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"], "payload_too_large")
        self.assertEqual(self.lead_count(), count)
        response = self.post(PBX, {"caller": "0912345678", "call_id": "y" * (MAX_BODY_BYTES + 1)}, key=self.pbx_plain)
        self.assertEqual(response.status_code, 413)

    def test_rate_limit_answers_429_with_retry_after(self):
        self.web_key.rate_limit = 2
        for index in range(2):
            response = self.post(LEADS, {"name": f"Khách {index}", "email": f"k{index}@example.vn"}, key=self.web_plain)
            self.assertEqual(response.status_code, 201)
        response = self.post(LEADS, {"name": "Khách 3", "email": "k3@example.vn"}, key=self.web_plain)
        self.assertEqual(response.status_code, 429)
        retry_after = int(response.headers["Retry-After"])
        self.assertTrue(1 <= retry_after <= RATE_WINDOW_SECONDS)
        self.assertEqual(response.json()["retry_after"], retry_after)
        self.assertFalse(self.env["crm.lead"].search([("email_from", "=", "k3@example.vn")]))
        # other keys keep their own budget
        self.assertEqual(self.post(PBX, {"caller": "0912 700 701"}, key=self.pbx_plain).status_code, 200)

    def test_default_rate_limit_from_system_parameter(self):
        self.env["ir.config_parameter"].set_param("pi_crm.intake_rate_limit", "1")
        self.assertEqual(self.post(PBX, {"caller": "0912 700 701"}, key=self.pbx_plain).status_code, 200)
        self.assertEqual(self.post(PBX, {"caller": "0912 700 701"}, key=self.pbx_plain).status_code, 429)

    @mute_logger("odoo.addons.pi_crm.controllers.intake")
    def test_unexpected_error_answers_json_without_trace(self):
        with patch.object(type(self.env["pi.intake"]), "_submit_lead", side_effect=ZeroDivisionError("boom")):
            response = self.post(LEADS, {"name": "Khách", "email": "k@example.vn"}, key=self.web_plain)
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response.json()["error"], "internal_error")
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("boom", response.text)
        self.assertEqual(self.last_call().status_code, 500)

    # ------------------------------------------------------------------ bad input
    def new_key(self, kind):
        """A key of its own with room for one call a minute: a refused call
        that counts leaves none for the next."""
        key = self.env["pi.integration.key"].create({"name": f"Khoá thử {kind}", "kind": kind, "rate_limit": 1})
        return key, key._generate_key()

    def assert_refused_and_counted(self, response, key, plain, status, error=None, field=None, code=None):
        """The bad call got a JSON ``status``, wrote its one audit row and
        nothing else, and used the key's only call of the minute."""
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        if error:
            self.assertEqual(body["error"], error)
            self.assertTrue(body["message"])
        if field:
            self.assertEqual(body["error_codes"][field], code)
            self.assertTrue(body["errors"][field])
        calls = self.env["pi.api.call"].search([("key_id", "=", key.id)])
        self.assertEqual(len(calls), 1, "one audit row")
        self.assertEqual((calls.status_code, calls.res_id), (status, 0))
        path = LEADS if key.kind == "website" else PBX
        payload = ({"name": "Khách", "email": "khach.hop.le@example.vn"} if key.kind == "website"
                   else {"caller": "0912 700 701"})
        self.assertEqual(self.post(path, payload, key=plain).status_code, 429, "the bad call was counted")

    def refused(self, kind, send, status, **expected):
        key, plain = self.new_key(kind)
        leads, interactions = self.lead_count(), self.env["pi.interaction"].search_count([])
        response = send(plain)
        self._wait_remaining_requests()
        self.env.invalidate_all()
        self.assert_refused_and_counted(response, key, plain, status, **expected)
        self.assertEqual(self.lead_count(), leads, "nothing written")
        self.assertEqual(self.env["pi.interaction"].search_count([]), interactions, "nothing written")
        return response

    def test_chunked_form_body_over_64_kb_is_refused(self):
        """Chunked, there is no Content-Length to refuse early: the body is
        measured as it arrives, and reading stops past 64 KB."""
        def chunks():
            yield b"name=Kh%C3%A1ch+l%E1%BB%9Bn&email=lon%40example.vn&note="
            for _index in range(2 * MAX_BODY_BYTES // 1024):
                yield b"x" * 1024

        self.refused("website", lambda plain: self.url_open(LEADS, data=chunks(), headers={
            "X-PI-Key": plain, "Content-Type": "application/x-www-form-urlencoded"}), 413, error="payload_too_large")
        self.assertFalse(self.env["crm.lead"].search([("email_from", "=", "lon@example.vn")]))

    def test_chunked_json_body_over_64_kb_is_refused(self):
        body = json.dumps({"caller": "0912 700 701", "call_id": "c", "note": "y" * (MAX_BODY_BYTES + 1)}).encode()
        self.refused("pbx", lambda plain: self.url_open(PBX, data=iter([body[:4096], body[4096:]]), headers={
            "X-PI-Key": plain, "Content-Type": "application/json"}), 413, error="payload_too_large")

    def test_chunked_body_within_the_limit_is_read(self):
        body = json.dumps({"name": "Khách gửi từng phần", "email": "tung.phan@example.vn"}).encode()
        response = self.url_open(LEADS, data=iter([body[:10], body[10:]]), headers={
            "X-PI-Key": self.web_plain, "Content-Type": "application/json"})
        self.assertEqual(response.status_code, 201, response.text)
        response = self.post(LEADS, "name=Kh%C3%A1ch&phone=0903+222+444", key=self.web_plain,
                             content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 201, response.text)

    def test_body_of_64_kb_is_accepted_and_one_byte_more_refused(self):
        head = b'{"name": "Khach 64", "email": "k64@example.vn", "padding": "'
        for size, status in ((MAX_BODY_BYTES, 201), (MAX_BODY_BYTES + 1, 413)):
            body = head + b"x" * (size - len(head) - 2) + b'"}'
            for data in (body, iter([body[:30000], body[30000:]])):
                with self.subTest(size=size, chunked=not isinstance(data, bytes)):
                    response = self.url_open(LEADS, data=data, headers={
                        "X-PI-Key": self.web_plain, "Content-Type": "application/json"})
                    self.assertIn(response.status_code, (status, 200) if status == 201 else (status,), response.text)

    def test_multipart_form_is_read(self):
        response = self.url_open(LEADS, files={"name": (None, "Ngô Thị Lan"), "phone": (None, "0903 222 555")},
                                 headers={"X-PI-Key": self.web_plain})
        self.assertEqual(response.status_code, 201, response.text)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertEqual((lead.contact_name, lead.phone_sanitized), ("Ngô Thị Lan", "+84903222555"))

    def test_nul_in_pbx_call_id_or_called_is_refused(self):
        for field in ("call_id", "called"):
            with self.subTest(field=field):
                self.refused("pbx", lambda plain, field=field: self.post(
                    PBX, {"caller": "0912 700 701", field: "c-1\x00x"}, key=plain), 400, field=field,
                    code="invalid_character")

    def test_nul_in_a_lead_field_is_refused(self):
        for field in ("name", "note", "utm_campaign"):
            with self.subTest(field=field):
                self.refused("website", lambda plain, field=field: self.post(
                    LEADS, {"name": "Khách", "email": "nul@example.vn", field: "a\x00b"}, key=plain), 400,
                    field=field, code="invalid_character")
        self.refused("website", lambda plain: self.post(
            LEADS, "name=a%00b&email=nul%40example.vn", key=plain, content_type="application/x-www-form-urlencoded"),
            400, field="name", code="invalid_character")

    def test_lone_surrogate_is_refused(self):
        self.refused("website", lambda plain: self.post(
            LEADS, '{"name": "Kh\\ud800ch", "email": "s@example.vn"}', key=plain), 400, field="body",
            code="invalid_body")

    def test_json_nested_20000_deep_is_refused(self):
        self.refused("website", lambda plain: self.post(LEADS, "[" * 20000, key=plain), 400, field="body",
                     code="invalid_body")
        self.refused("pbx", lambda plain: self.post(PBX, '{"caller": ' * 5000 + "1" + "}" * 5000, key=plain),
                     400, field="body", code="invalid_body")

    def test_wrong_content_type_non_object_and_invalid_utf8(self):
        cases = [
            ("text/plain", b"name=x", 415, {"error": "unsupported_media_type"}),
            ("application/json", b"[1, 2]", 400, {"field": "body", "code": "invalid_body"}),
            ("application/json", b'"Kh\xc3\xa1ch"', 400, {"field": "body", "code": "invalid_body"}),
            ("application/json", b'{"name": "\xff"}', 400, {"field": "body", "code": "invalid_body"}),
            ("application/x-www-form-urlencoded", b"name=%ED%A0%80", 400, {"field": "body", "code": "invalid_body"}),
            ("multipart/form-data; boundary=x", b"--x\r\nbroken", 400, {"field": "body", "code": "invalid_body"}),
        ]
        for content_type, data, status, expected in cases:
            with self.subTest(content_type=content_type, data=data):
                self.refused("website", lambda plain, data=data, content_type=content_type: self.url_open(
                    LEADS, data=data, headers={"X-PI-Key": plain, "Content-Type": content_type}), status, **expected)

    def test_nul_in_the_key_header_is_an_unknown_key(self):
        calls = self.env["pi.api.call"].search_count([])
        response = self.post(LEADS, {"name": "Khách"}, key=self.web_plain[:12] + "\x00" + self.web_plain[13:])
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "invalid_key")
        self.assertEqual(self.env["pi.api.call"].search_count([]), calls + 1)

    def test_utm_wildcards_match_no_existing_record(self):
        self.env["utm.medium"].create({"name": "Zalo Ads"})
        self.env["utm.campaign"].create({"name": "Tết 2027"})
        response = self.post(LEADS, {"name": "Khách UTM", "email": "utm1@example.vn", "utm_medium": "%",
                                     "utm_campaign": "_"}, key=self.web_plain)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_website"), "the door's own medium, no match")
        self.assertFalse(lead.campaign_id)
        self.assertIn("%", lead.description)
        response = self.post(LEADS, {"name": "Khách UTM 2", "email": "utm2@example.vn", "utm_medium": "zalo ads",
                                     "utm_campaign": "Tết 202_"}, key=self.web_plain)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertEqual(lead.medium_id.name, "Zalo Ads", "the same name in another case still matches")
        self.assertFalse(lead.campaign_id)

    # ------------------------------------------------------------------ new-lead queue
    def consult_todo(self, lead):
        return lead.activity_ids.filtered(lambda activity: activity == lead.pi_consult_activity_id)

    def make_default_team(self):
        """The test team comes first among the sales teams: PI's default team."""
        self.team.write({"sequence": -100, "use_leads": True})

    def test_website_lead_nobody_owns_gives_the_team_leader_a_todo(self):
        self.make_default_team()
        self.manager.lang = "vi_VN"
        response = self.post(LEADS, {"name": "Vũ Thị Hằng", "phone": "0903 444 555"}, key=self.web_plain)
        self.assertEqual(response.status_code, 201, response.text)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertFalse(lead.user_id, "nobody owns it yet")
        self.assertEqual((lead.team_id, lead.pi_consult_state), (self.team, "new"))
        todo = self.consult_todo(lead)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual((todo.user_id, todo.summary), (self.manager, "Tư vấn KH mới"), "in the leader's language")
        queue = self.env["crm.lead"].with_user(self.manager).search([("pi_consult_state", "=", "new")])
        self.assertIn(lead, queue, "it waits in KH mới chưa tư vấn")

    def test_todo_is_written_in_the_leader_language(self):
        self.make_default_team()
        self.manager.lang = "en_US"
        response = self.post(LEADS, {"name": "Alex Nguyen", "email": "alex.nguyen@example.com"}, key=self.web_plain)
        todo = self.consult_todo(self.env["crm.lead"].browse(response.json()["id"]))
        self.assertEqual((todo.user_id, todo.summary), (self.manager, "Consult the new customer"))

    def test_unknown_caller_lead_gives_the_team_leader_a_todo(self):
        self.make_default_team()
        response = self.post(PBX, {"caller": "0938 777 666", "call_id": "c-team"}, key=self.pbx_plain)
        lead = self.env["crm.lead"].browse(response.json()["lead_id"])
        self.assertEqual((lead.user_id, lead.team_id), (self.env["res.users"], self.team))
        self.assertEqual(self.consult_todo(lead).user_id, self.manager)
        # the team heard the call
        for user in (self.manager, self.consultant_minh):
            self.assertEqual(len(self.bus_notices(user)), 1, user.name)

    def test_with_rule_based_assignment_the_assignee_gets_the_todo(self):
        """PI turns on the CRM's rule-based assignment: the lead is left for
        crm.team._cron_assign_leads, and whoever it picks gets the To-Do."""
        self.env["ir.config_parameter"].set_param("crm.lead.auto.assignment", True)
        self.env["crm.team"].search([("id", "!=", self.team.id)]).assignment_optout = True
        self.team.crm_team_member_ids.assignment_max = 300  # 10 leads a day, whatever Minh already has
        self.consultant_minh.lang = "vi_VN"
        response = self.post(LEADS, {"name": "Đinh Công Sơn", "phone": "0903 888 999"}, key=self.web_plain)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertFalse(lead.user_id or lead.team_id, "left for the assignment (it takes leads without a team)")
        self.assertFalse(self.consult_todo(lead))
        # the cron runs later: it takes leads created before its own transaction began
        self.env.cr.execute("UPDATE crm_lead SET create_date = create_date - interval '1 hour' WHERE id = %s",
                            [lead.id])
        lead.invalidate_recordset(["create_date"])
        self.env["crm.team"]._cron_assign_leads()
        self.assertEqual(lead.user_id, self.consultant_minh, "assigned by the stock rules")
        todo = self.consult_todo(lead)
        self.assertEqual((todo.user_id, todo.summary), (self.consultant_minh, "Tư vấn KH mới"))
        self.assertEqual(lead.pi_consult_state, "new")

    def test_managers_see_the_new_lead_queue_in_their_activity_menu(self):
        """Every manager is told, not only the leader who has the To-Do; a
        consultant sees their own new leads."""
        self.make_default_team()
        other_manager = new_test_user(self.env, login="test_intake_quynh", name="Lý Như Quỳnh", lang="vi_VN",
                                      groups="base.group_user,pi_crm.group_pi_manager")
        response = self.post(LEADS, {"name": "Phan Văn Tài", "phone": "0903 123 777"}, key=self.web_plain)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        Lead = self.env["crm.lead"].with_user(other_manager)
        self.authenticate("test_intake_quynh", "test_intake_quynh")
        store = self.make_jsonrpc_request("/mail/data", {"systray_get_activities": True})["Store"]
        group = next(group for group in store["activityGroups"] if group["type"] == "pi_new_leads")
        self.assertEqual(group["name"], "KH mới chưa tư vấn")
        self.assertEqual(group["pi_waiting_count"], Lead.search_count([("pi_consult_state", "=", "new")]))
        unassigned = Lead.search_count([("pi_consult_state", "=", "new"), ("user_id", "=", False)])
        self.assertGreaterEqual(unassigned, 1)
        self.assertEqual((group["pi_unassigned_count"], group["total_count"]), (unassigned, unassigned))
        self.assertGreaterEqual(store["activityCounter"], unassigned, "the bell counts them")
        self.assertEqual(group["action"], "pi_crm.pi_lead_new_action")
        # the leader's own To-Do is not counted twice
        leader_groups = self.env["res.users"].with_user(self.manager)._get_activity_groups()
        leader_group = next(group for group in leader_groups if group["type"] == "pi_new_leads")
        self.assertEqual(leader_group["total_count"], unassigned - Lead.search_count(
            [("pi_consult_state", "=", "new"), ("user_id", "=", False),
             ("activity_ids.user_id", "=", self.manager.id)]))
        self.assertEqual(lead.pi_consult_activity_id.user_id, self.manager)
        # a consultant: only their own new leads, nothing unassigned
        consultant_groups = self.env["res.users"].with_user(self.consultant_minh)._get_activity_groups()
        consultant_group = next(group for group in consultant_groups if group["type"] == "pi_new_leads")
        self.assertEqual(consultant_group["pi_waiting_count"], self.env["crm.lead"].with_user(
            self.consultant_minh).search_count([("pi_consult_state", "=", "new")]))
        self.assertEqual((consultant_group["pi_unassigned_count"], consultant_group["total_count"]), (0, 0))
        # in the browser: the entry opens the queue. The first web-client page of a run builds the asset
        # bundles; building them before the browser comes keeps its spare connections from idling past the
        # test server's 5-second socket timeout (an ERROR line) on a loaded machine.
        self.url_open("/odoo", timeout=120)
        self.start_tour("/odoo", "pi_crm_new_leads_menu_tour", login="test_intake_quynh")

    # ------------------------------------------------------------------ PBX
    def test_pbx_known_partner(self):
        response = self.post(PBX, {"caller": "+84 912 700 701", "called": "1900 1234", "call_id": "c-1"},
                             key=self.pbx_plain)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["match"], "partner")
        self.assertEqual(body["partner_id"], self.customer.id)
        self.assertEqual(body["name"], "Lê Văn Hùng")
        self.assertEqual(body["salesperson"], "Nguyễn Thị Lan")
        self.assertTrue(body["url"].endswith(f"/odoo/res.partner/{self.customer.id}"))
        notices = self.bus_notices(self.consultant_lan)
        self.assertEqual(len(notices), 1)
        self.assertIn("Lê Văn Hùng", notices[0]["message"])
        self.assertIn("0912 700 701", notices[0]["message"], "the number as Vietnamese staff write it")
        self.assertEqual(notices[0]["url"], body["url"])
        self.assertFalse(self.bus_notices(self.consultant_minh))
        call = self.last_call()
        self.assertEqual((call.result, call.call_ref, call.res_id), ("partner", "c-1", self.customer.id))
        self.assertEqual(call.display_name, f"Incoming call #{call.id}")

    def test_pbx_known_partner_on_second_number(self):
        """The landline is not in stock phone_sanitized (the mobile is); it is still found."""
        self.assertEqual(self.customer.phone_sanitized, "+84912700701")
        response = self.post(PBX, {"caller": "02437719001"}, key=self.pbx_plain)
        self.assertEqual(response.json()["match"], "partner")
        self.assertEqual(response.json()["partner_id"], self.customer.id)

    def test_pbx_known_lead(self):
        response = self.post(PBX, {"caller": "+84987654321"}, key=self.pbx_plain)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(
            (body["match"], body["lead_id"], body["name"], body["salesperson"]),
            ("lead", self.lead.id, "Trần Thị Mai", "Trần Văn Minh"),
        )
        self.assertNotIn("partner_id", body)
        self.assertTrue(body["url"].endswith(f"/odoo/crm.lead/{self.lead.id}"))
        self.assertEqual(len(self.bus_notices(self.consultant_minh)), 1)

    def test_pbx_unknown_number_creates_lead(self):
        count = self.lead_count()
        response = self.post(PBX, {"caller": "0938 000 111", "call_id": 12345}, key=self.pbx_plain)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["match"], "new")
        self.assertIsNone(body["salesperson"])
        self.assertEqual(self.lead_count(), count + 1)
        lead = self.env["crm.lead"].browse(body["lead_id"])
        self.assertEqual(lead.phone_sanitized, "+84938000111")
        self.assertEqual(lead.source_id.name, "Tổng đài")
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.pi_consult_state, "new")
        # nobody is responsible: the lead's team (or the managers) hear about it
        recipients = lead.team_id.member_ids | lead.team_id.user_id if lead.team_id else self.manager
        self.assertTrue(recipients)
        for user in recipients.filtered("active"):
            self.assertEqual(len(self.bus_notices(user)), 1, user.name)
        # the same caller again is now a known lead, not a second lead
        again = self.post(PBX, {"caller": "+84938000111"}, key=self.pbx_plain)
        self.assertEqual((again.json()["match"], again.json()["lead_id"]), ("lead", lead.id))
        self.assertEqual(self.lead_count(), count + 1)

    def test_pbx_invalid_or_hidden_number(self):
        for caller in ("anonymous", "123", "", None):
            with self.subTest(caller=caller):
                response = self.post(PBX, {"caller": caller}, key=self.pbx_plain)
                self.assertEqual(response.status_code, 400)
                self.assertIn("caller", response.json()["errors"])

    def test_pbx_call_logged_as_interaction(self):
        self.post(PBX, {"caller": "0912 700 701", "call_id": "c-9"}, key=self.pbx_plain)
        interaction = self.env["pi.interaction"].search([("partner_id", "=", self.customer.id)], limit=1)
        self.assertEqual((interaction.channel, interaction.direction), ("call", "in"))
        self.assertIn("c-9", interaction.summary)

    def test_pbx_followup_runs_after_the_answer_and_is_cleared(self):
        self.post(PBX, {"caller": "0912 700 701", "call_id": "c-10"}, key=self.pbx_plain)
        call = self.last_call()
        self.assertEqual(call.followup_state, "done")
        self.assertFalse(call.sudo().followup_payload, "the caller's number is not kept in the audit log")
        self.assertEqual(len(self.bus_notices(self.consultant_lan)), 1)

    def test_pbx_followup_left_behind_is_finished_by_the_cron_once(self):
        """A worker stopped right after answering: the call row still holds the
        work, and the cron does it, once."""
        Interaction = self.env["pi.interaction"]
        before = Interaction.search_count([("partner_id", "=", self.customer.id)])
        with patch("odoo.addons.pi_crm.controllers.intake._run_followup_after_response"):
            response = self.post(PBX, {"caller": "0912 700 701", "call_id": "c-11"}, key=self.pbx_plain)
        self.assertEqual(response.json()["match"], "partner")
        call = self.last_call()
        self.assertEqual(call.followup_state, "pending")
        self.assertEqual(Interaction.search_count([("partner_id", "=", self.customer.id)]), before)
        Call = self.env["pi.api.call"]
        Call._cron_run_followups()
        self.assertEqual(call.followup_state, "pending", "a fresh call is left to its own worker")
        self.env.cr.execute(
            "UPDATE pi_api_call SET create_date = create_date - make_interval(secs => %s) WHERE id = %s",
            (FOLLOWUP_GRACE_SECONDS + 1, call.id),
        )
        Call.invalidate_model()
        Call._cron_run_followups()
        Call._cron_run_followups()
        self.assertEqual(call.followup_state, "done")
        interactions = Interaction.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(interactions), before + 1)
        self.assertIn("c-11", interactions[0].summary)
        self.assertEqual(len(self.bus_notices(self.consultant_lan)), 1)

    def test_pbx_resent_call_gets_the_same_answer_once_logged(self):
        """A switchboard that got no answer in time sends the same call again:
        same answer, one history entry, one notice; another call is logged."""
        Interaction = self.env["pi.interaction"]
        before = Interaction.search_count([("partner_id", "=", self.customer.id)])
        first = self.post(PBX, {"caller": "0912 700 701", "call_id": "c-20"}, key=self.pbx_plain).json()
        again = self.post(PBX, {"caller": "+84912700701", "call_id": "c-20"}, key=self.pbx_plain)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json(), first)
        self.assertEqual(Interaction.search_count([("partner_id", "=", self.customer.id)]), before + 1)
        self.assertEqual(len(self.bus_notices(self.consultant_lan)), 1)
        resend, first_call = self.env["pi.api.call"].search([("call_ref", "=", "c-20")], limit=2)
        self.assertEqual((resend.resent, first_call.resent), (True, False), "the resend is in the audit log too")
        self.post(PBX, {"caller": "0912 700 701", "call_id": "c-21"}, key=self.pbx_plain)
        self.assertEqual(Interaction.search_count([("partner_id", "=", self.customer.id)]), before + 2)

    def test_pbx_resent_call_from_unknown_number_creates_one_lead(self):
        count = self.lead_count()
        first = self.post(PBX, {"caller": "0938 111 222", "call_id": "c-30"}, key=self.pbx_plain).json()
        again = self.post(PBX, {"caller": "0938 111 222", "call_id": "c-30"}, key=self.pbx_plain).json()
        self.assertEqual(first["match"], "new")
        self.assertEqual(again, first)
        self.assertEqual(self.lead_count(), count + 1)
        self.assertEqual(self.env["pi.interaction"].search_count([("lead_id", "=", first["lead_id"])]), 1)
        # the same call id from another switchboard key is another call
        other = self.env["pi.integration.key"].create({"name": "Tổng đài 2", "kind": "pbx"})
        later = self.post(PBX, {"caller": "0938 111 222", "call_id": "c-30"}, key=other._generate_key()).json()
        self.assertEqual((later["match"], later["lead_id"]), ("lead", first["lead_id"]))
        self.assertEqual(self.env["pi.interaction"].search_count([("lead_id", "=", first["lead_id"])]), 2)

    def test_pbx_call_keeps_an_unconsulted_lead_in_the_queue(self):
        first = self.post(PBX, {"caller": "0938 555 444"}, key=self.pbx_plain).json()
        lead = self.env["crm.lead"].browse(first["lead_id"])
        self.post(PBX, {"caller": "+84938555444"}, key=self.pbx_plain)
        calls = self.env["pi.interaction"].search([("lead_id", "=", lead.id)])
        self.assertEqual(len(calls), 2)
        self.assertTrue(all(calls.mapped("intake")))
        self.assertEqual(lead.pi_consult_state, "new", "a switchboard call is not a consultation")

    def test_pbx_call_nobody_owns_is_told_to_the_managers(self):
        """No consultant and no team (rule-based assignment leaves the lead
        without one): every active manager hears the call, administrators
        included (their group implies the managers'), an archived one not."""
        self.env["ir.config_parameter"].set_param("crm.lead.auto.assignment", "True")
        admin_manager = new_test_user(self.env, login="test_intake_admin", name="Hoàng Văn Khải",
                                      groups="base.group_user,pi_crm.group_pi_admin")
        gone = new_test_user(self.env, login="test_intake_gone", name="Cao Thị Nga",
                             groups="base.group_user,pi_crm.group_pi_manager")
        gone.active = False
        response = self.post(PBX, {"caller": "0938 222 999", "call_id": "c-managers"}, key=self.pbx_plain)
        lead = self.env["crm.lead"].browse(response.json()["lead_id"])
        self.assertFalse(lead.user_id or lead.team_id)
        for user in (self.manager, admin_manager):
            self.assertEqual(len(self.bus_notices(user)), 1, user.name)
        for user in (gone, self.consultant_lan, self.consultant_minh):
            self.assertFalse(self.bus_notices(user), user.name)

    def test_pbx_notice_is_in_each_recipients_language(self):
        self.make_default_team()
        self.manager.lang = "en_US"
        self.consultant_minh.lang = "vi_VN"
        self.post(PBX, {"caller": "0938 333 111"}, key=self.pbx_plain)
        self.assertEqual(self.bus_notices(self.manager)[0]["title"], "Incoming call")
        if self.env["res.lang"]._lang_get("vi_VN"):
            self.assertNotEqual(self.bus_notices(self.consultant_minh)[0]["title"], "Incoming call")


@tagged("pi_intake")
class TestIntakeModels(TransactionCase):
    def test_every_intake_message_has_its_vietnamese(self):
        """Each msgid marked in intake_validation (what Odoo's .pot export
        collects from it) is translated in vi.po, placeholders kept."""
        with pathlib.Path(intake_validation.__file__).open("rb") as source:
            msgids = [message for _line, message, *_rest in extract.extract("python", source, keywords={"_lt": None})]
        self.assertGreater(len(msgids), 20)
        translations = code_translations.get_python_translations("pi_crm", "vi_VN")
        for msgid in msgids:
            with self.subTest(msgid=msgid):
                self.assertIn(msgid, translations)
                self.assertNotEqual(translations[msgid], msgid)
                self.assertEqual(
                    sorted(re.findall(r"%\((\w+)\)s", translations[msgid])),
                    sorted(re.findall(r"%\((\w+)\)s", msgid)),
                )

    def test_second_number_is_stored_and_indexed_for_lookup(self):
        partner = self.env["res.partner"].create(
            {"name": "Vũ Minh", "mobile": "0912 000 111", "phone": "028 3822 1234",
             "country_id": self.env.ref("base.vn").id}
        )
        self.assertEqual((partner.phone_sanitized, partner.pi_phone_other_sanitized), ("+84912000111", "+842838221234"))
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._pi_search_phone("+842838221234"), partner)
        self.assertEqual(Partner.search(Partner._pi_get_phone_domain("+842838221234")), partner)
        partner.phone = False
        self.assertFalse(partner.pi_phone_other_sanitized)
        self.assertFalse(Partner._pi_search_phone("+842838221234"))
        partner.action_archive()
        self.assertFalse(Partner._pi_search_phone("+84912000111"), "archived contacts are not matched")

    def test_purge_keeps_recent_calls(self):
        Call = self.env["pi.api.call"]
        old = Call.create({"endpoint": "pbx", "status_code": 200})
        recent = Call.create({"endpoint": "pbx", "status_code": 200})
        self.env.cr.execute(
            "UPDATE pi_api_call SET create_date = now() - make_interval(days => %s) WHERE id = %s",
            (DEFAULT_RETENTION_DAYS + 1, old.id),
        )
        Call.invalidate_model(["create_date"])
        Call._cron_purge()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def pbx_followup(self):
        """A switchboard key, a known caller, and the follow-up a call from them leaves."""
        key = self.env["pi.integration.key"].create({"name": "Tổng đài thử", "kind": "pbx"})
        partner = self.env["res.partner"].create({"name": "Đỗ Văn Nam"})
        followup = {"key_id": key.id, "kind": "pbx_call", "caller": "+84912000222", "called": "", "call_id": "",
                    "date": False, "partner_id": partner.id, "lead_id": False, "responsible_id": False,
                    "team_id": False, "answer": {"match": "partner", "name": "Đỗ Văn Nam", "url": "/odoo"}}
        return key, partner, followup

    @mute_logger("odoo.addons.pi_crm.models.pi_api_call")
    def test_failing_followup_is_marked_and_does_not_block_others(self):
        key, partner, good = self.pbx_followup()
        Call = self.env["pi.api.call"]
        bad_id = Call._log_call({"endpoint": "pbx", "status_code": 200, "key_id": key.id,
                                 "followup": dict(good, kind="unknown")})
        good_id = Call._log_call({"endpoint": "pbx", "status_code": 200, "key_id": key.id, "followup": good})
        self.assertEqual(Call.browse([bad_id, good_id])._run_followups(), 1)
        self.assertEqual(Call.browse(good_id).followup_state, "done")
        # tried again (by the cron) until its last attempt, then marked failed
        self.assertEqual(Call.browse(bad_id).followup_state, "pending")
        for _attempt in range(FOLLOWUP_ATTEMPTS - 1):
            Call.browse(bad_id)._run_followups()
        self.assertEqual(Call.browse(bad_id).followup_state, "failed")
        self.assertFalse(Call.browse(bad_id).sudo().followup_payload)
        self.assertEqual(self.env["pi.interaction"].search_count([("partner_id", "=", partner.id)]), 1)

    def test_followup_cron_works_by_batches_and_reports_what_is_left(self):
        key, partner, followup = self.pbx_followup()
        Call = self.env["pi.api.call"]
        ids = [Call._log_call({"endpoint": "pbx", "status_code": 200, "key_id": key.id, "followup": followup})
               for _index in range(3)]
        self.env.cr.execute(
            "UPDATE pi_api_call SET create_date = create_date - make_interval(secs => %s) WHERE id IN %s",
            (FOLLOWUP_GRACE_SECONDS + 1, tuple(ids)),
        )
        Call.invalidate_model()
        with patch.object(type(self.env["ir.cron"]), "_notify_progress", autospec=True) as notify:
            Call._cron_run_followups(batch_size=2)
        self.assertEqual(notify.call_args.kwargs, {"done": 2, "remaining": 1})
        self.assertEqual(Call.browse(ids).mapped("followup_state"), ["done", "done", "pending"])
        with patch.object(type(self.env["ir.cron"]), "_notify_progress", autospec=True) as notify:
            Call._cron_run_followups(batch_size=2)
        self.assertEqual(notify.call_args.kwargs, {"done": 1, "remaining": 0})
        self.assertEqual(self.env["pi.interaction"].search_count([("partner_id", "=", partner.id)]), 3)

    def test_lead_enrichment_is_on_demand(self):
        """New leads do not wake Odoo's IAP enrichment (personal addresses, data kept in house)."""
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm.iap.lead.enrich.setting"), "manual")
        if self.env.ref("crm_iap_enrich.ir_cron_lead_enrichment", raise_if_not_found=False):
            self.assertEqual(self.env["res.config.settings"].create({}).lead_enrich_auto, "manual")

    def test_key_cannot_run_as_a_person(self):
        with self.assertRaises(ValidationError):
            self.env["pi.integration.key"].create({"name": "Sai", "kind": "pbx",
                                                   "user_id": self.env.ref("base.user_admin").id})
