import datetime
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.pi_contracts.tests.html_editor import SelfClosingTags, browser_round_trip, replace_text

from .common import PiPortalCommon, PiPortalHttpCommon, new_investor


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalRequests(PiPortalHttpCommon):

    def post_renewal(self, **extra):
        url = f"/my/investments/{self.contract_a.id}"
        data = {"kind": "renew", "desired_date": "2026-12-31", "note": "Gọi em buổi sáng",
                "csrf_token": self.csrf_from(url)}
        data.update(extra)
        return self.url_open(f"{url}/request", data=data)

    def test_renewal_request_creates_todo_and_confirmation_email(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.post_renewal()
        self.assertEqual(response.status_code, 200)
        self.assertIn("request_sent=renew", response.url)
        portal_request = self.env["pi.portal.request"].search([("contract_id", "=", self.contract_a.id)])
        self.assertEqual(len(portal_request), 1)
        self.assertEqual((portal_request.kind, portal_request.state), ("renew", "new"))
        self.assertEqual(portal_request.desired_date, datetime.date(2026, 12, 31))
        self.assertEqual(portal_request.partner_id, self.investor_a)
        self.assertEqual(portal_request.user_id, self.consultant_lan)
        # The consultant's To-Do sits on the contract, where the Renew wizard is.
        activity = self.contract_a.activity_ids.filtered(lambda act: act.id == portal_request.activity_id.id)
        self.assertEqual(activity.user_id, self.consultant_lan)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(activity.date_deadline, datetime.date(2026, 12, 31))
        self.assertIn("Gọi em buổi sáng", str(activity.note))
        # The investor gets a confirmation email, in Vietnamese.
        mail = self.env["mail.mail"].sudo().search([
            ("model", "=", "pi.portal.request"), ("res_id", "=", portal_request.id),
            ("recipient_ids", "in", self.investor_a.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn(portal_request.name, mail.subject)
        self.assertIn("Chúng tôi đã nhận được yêu cầu", mail.subject)
        self.assertIn("31/12/2026", mail.body_html)
        self.assertIn("lan@pi.example.vn", mail.email_from)
        # Addressed as he is greeted: "Kính gửi Anh Hùng … của Anh", never "Anh/Chị".
        self.assertIn("Kính gửi Anh Hùng", mail.body_html)
        self.assertIn("của Anh:", mail.body_html)
        self.assertIn("liên hệ với Anh.", mail.body_html)
        self.assertIn("của Anh", mail.subject)
        self.assertNotIn("Anh/Chị", mail.body_html + mail.subject)
        # The request shows on the page, and a second one waits for the first.
        page = self.url_open(f"/my/investments/{self.contract_a.id}")
        self.assertIn(portal_request.name, page.text)
        self.assertNotIn("pi_form_renew", page.text)
        with self.assertRaises(UserError):
            self.portal_create(self.user_a, "settle", self.contract_a,
                                                         desired_date="2026-12-31")

    def test_request_without_csrf_token_is_refused(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open(f"/my/investments/{self.contract_a.id}/request",
                                 data={"kind": "settle", "desired_date": "2026-12-31"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["pi.portal.request"].search([("contract_id", "=", self.contract_a.id)]))

    def test_bad_date_is_explained_in_vietnamese_and_nothing_is_written(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.post_renewal(desired_date="2020-01-01")
        self.assertNotIn("request_sent", response.url)
        self.assertFalse(self.env["pi.portal.request"].search([("contract_id", "=", self.contract_a.id)]))
        self.assertIn("không được là ngày trong quá khứ", response.text)

    def test_contact_update_is_applied_only_when_staff_approve(self):
        self.authenticate("pp_hung", "pp_hung")
        csrf = self.csrf_from("/my/investor")
        response = self.url_open("/my/investor/request", data={
            "kind": "contact_update", "phone": "0903 111 222", "email": "hung.moi@example.vn",
            "csrf_token": csrf})
        self.assertIn("request_sent=contact_update", response.url)
        portal_request = self.env["pi.portal.request"].search([("partner_id", "=", self.investor_a.id)])
        self.assertEqual(portal_request.new_phone, "+84903111222")
        self.assertEqual(self.investor_a.mobile, "+84912000111", "never written directly")
        self.assertEqual(self.investor_a.email, "pp_hung@example.vn")
        self.assertEqual(portal_request.activity_ids.user_id, self.consultant_lan)
        # The stock account form cannot bypass it.
        self.url_open("/my/account", data={"name": "X", "email": "x@example.vn", "phone": "1",
                                           "csrf_token": csrf})
        self.assertEqual(self.investor_a.name, "Lê Văn Hùng")
        portal_request.with_user(self.consultant_lan).action_approve()
        self.assertEqual(self.investor_a.mobile, "+84903111222")
        self.assertEqual(self.investor_a.email, "hung.moi@example.vn")
        self.assertEqual(portal_request.state, "done")

    def test_investor_sees_only_own_requests(self):
        request_b = self.portal_create(
            self.user_b, "renew", self.contract_b, desired_date="2026-12-31")
        Request = self.env["pi.portal.request"].with_user(self.user_a)
        self.assertFalse(Request.search([]))
        with self.assertRaises(AccessError):
            Request.browse(request_b.id).read(["note"])
        self.authenticate("pp_hung", "pp_hung")
        self.assertNotIn(request_b.name, self.url_open("/my/investor").text)
        # Staff: a consultant sees only the requests assigned to them.
        self.assertFalse(self.env["pi.portal.request"].with_user(self.consultant_lan).search(
            [("id", "=", request_b.id)]))

    def test_an_approved_bank_account_shows_masked_to_the_investor(self):
        portal_request = self.portal_create(self.user_a, "bank_update", bank_name="Vietcombank",
                                            bank_account="0071 0001 23456")
        portal_request.with_user(self.manager).action_approve()
        self.authenticate("pp_hung", "pp_hung")
        page = self.url_open("/my/investor").text
        self.assertIn("Vietcombank", page)
        self.assertIn("\N{BULLET}" * 9 + "3456", page)
        self.assertNotIn("0071000123456", page, "the full account number never shows on the portal")

    def test_investor_sees_the_refusal_and_may_ask_again(self):
        self.authenticate("pp_hung", "pp_hung")
        self.post_renewal()
        portal_request = self.env["pi.portal.request"].search([("contract_id", "=", self.contract_a.id)])
        self.assertNotIn("pi_form_renew", self.url_open(f"/my/investments/{self.contract_a.id}").text)
        portal_request.with_user(self.consultant_lan).write({"answer": "Hợp đồng chưa đến hạn gia hạn."})
        portal_request.with_user(self.consultant_lan).action_refuse()
        page = self.url_open(f"/my/investments/{self.contract_a.id}").text
        self.assertIn(portal_request.name, page)
        self.assertIn("Đã từ chối", page, "the request's state, in Vietnamese")
        self.assertIn("Hợp đồng chưa đến hạn gia hạn.", page, "the consultant's answer")
        self.assertIn("pi_form_renew", page, "the investor may send a new request")
        self.assertIn("Đã từ chối", self.url_open("/my/investor").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["pi_request_count"]})
        self.assertEqual(counters["pi_request_count"], 1)
        self.assertIn("request_sent=renew", self.post_renewal().url)
        self.assertEqual(self.env["pi.portal.request"].search_count(
            [("contract_id", "=", self.contract_a.id), ("state", "=", "new")]), 1)

    def test_refuse_over_json_rpc_as_the_investor_or_another_consultant_is_refused(self):
        portal_request = self.portal_create(self.user_a, "renew", self.contract_a, desired_date="2026-12-31")
        for login in ("pp_hung", "pp_tuan", "pp_tv_minh"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with self.assertRaisesRegex(Exception, "AccessError"), self.assertLogs("odoo.http", "WARNING"):
                    self.make_jsonrpc_request("/web/dataset/call_kw/pi.portal.request/action_refuse", {
                        "model": "pi.portal.request", "method": "action_refuse", "args": [[portal_request.id]],
                        "kwargs": {}})
                self.assertEqual(portal_request.state, "new")
        # The consultant it is assigned to refuses it the same way.
        self.authenticate("pp_tv_lan", "pp_tv_lan")
        self.assertTrue(self.make_jsonrpc_request("/web/dataset/call_kw/pi.portal.request/action_refuse", {
            "model": "pi.portal.request", "method": "action_refuse", "args": [[portal_request.id]], "kwargs": {}}))
        self.assertEqual(portal_request.state, "refused")


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalRequestHandling(PiPortalCommon):
    """What staff do with a request, and what closes it."""

    def test_settling_the_contract_closes_the_request_and_its_todo(self):
        portal_request = self.portal_create(
            self.user_a, "settle", self.contract_a, desired_date="2026-12-31", note="")
        activity = portal_request.activity_id
        self.assertTrue(activity)
        wizard = self.env["pi.contract.settle"].with_user(self.consultant_lan).create(
            {"contract_id": self.contract_a.id, "date_settle": "2026-11-23"})
        wizard.action_confirm()
        self.assertEqual(self.contract_a.state, "settled")
        self.assertEqual(portal_request.state, "done")
        self.assertFalse(activity.exists(), "the To-Do is marked done")
        # The settlement document is now downloadable from the portal.
        self.assertTrue(self.contract_a.sudo().portal_document_ids)

    def test_bank_update_needs_a_manager(self):
        with self.assertRaisesRegex(UserError, "6"):
            self.portal_create(
                self.user_a, "bank_update", bank_name="Vietcombank", bank_account="12ab")
        portal_request = self.portal_create(
            self.user_a, "bank_update", bank_name="Vietcombank", bank_account="0071 0001 23456")
        with self.assertRaises(AccessError):
            portal_request.with_user(self.consultant_lan).action_approve()
        self.assertFalse(self.investor_a.bank_ids)
        portal_request.with_user(self.manager).action_approve()
        self.assertEqual(self.investor_a.bank_ids.acc_number, "0071000123456")
        self.assertEqual(self.investor_a.bank_ids.bank_id.name, "Vietcombank")

    def test_the_consultant_or_a_manager_refuses_and_nothing_is_applied(self):
        for user in (self.consultant_lan, self.manager):
            with self.subTest(user=user.login):
                portal_request = self.portal_create(self.user_a, "contact_update", email="hung.moi@example.vn")
                activity = portal_request.activity_id
                self.assertTrue(activity)
                portal_request.with_user(user).action_refuse()
                self.assertEqual(portal_request.state, "refused")
                self.assertTrue(portal_request.date_done)
                self.assertFalse(activity.exists(), "the consultant's To-Do is done")
                self.assertIn(user.name, portal_request.message_ids[0].body, "the chatter says who refused")
                self.assertEqual(self.investor_a.email, "pp_hung@example.vn", "a refused change is never applied")

    def test_a_refused_request_cannot_be_handled_again(self):
        portal_request = self.portal_create(self.user_a, "contact_update", email="hung.moi@example.vn")
        portal_request.with_user(self.consultant_lan).action_refuse()
        for user in (self.consultant_lan, self.manager):
            for action in ("action_refuse", "action_approve"):
                with self.subTest(user=user.login, action=action), self.assertRaisesRegex(UserError, "closed"):
                    getattr(portal_request.with_user(user), action)()
        self.assertEqual(portal_request.state, "refused")
        self.assertEqual(self.investor_a.email, "pp_hung@example.vn")
        # Nor can a done one be refused afterwards.
        done = self.portal_create(self.user_a, "contact_update", city="Huế")
        done.with_user(self.consultant_lan).action_approve()
        with self.assertRaisesRegex(UserError, "closed"):
            done.with_user(self.manager).action_refuse()
        self.assertEqual(done.state, "done")

    def test_only_staff_who_handle_the_request_may_refuse_it(self):
        portal_request = self.portal_create(self.user_a, "renew", self.contract_a, desired_date="2026-12-31")
        for user in (self.user_a, self.user_b, self.consultant_minh):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                portal_request.with_user(user).action_refuse()
        self.assertEqual(portal_request.state, "new")
        self.assertTrue(portal_request.activity_id.exists(), "the To-Do stays open")


class ConfirmationCase(PiPortalCommon):
    TEMPLATE = "pi_portal.mail_template_portal_request_confirmation"

    def _confirmation(self, portal_request):
        return self.env["mail.mail"].sudo().search([
            ("model", "=", "pi.portal.request"), ("res_id", "=", portal_request.id)])


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestConfirmationEmailText(ConfirmationCase):
    """The confirmation email goes on with the title it greets the investor with."""

    def test_a_woman_and_an_investor_without_gender(self):
        self.investor_b.write({"name": "Võ Thị Mai", "pi_gender": "female"})
        mail = self._confirmation(self.portal_create(self.user_b, "contact_update", city="Đà Nẵng", note="Gọi chiều"))
        self.assertIn("Kính gửi Chị Mai", mail.body_html)
        self.assertIn("Ghi chú của Chị:", mail.body_html)
        self.assertIn("Chị có thể theo dõi", mail.body_html)
        self.investor_b.pi_gender = False
        mail = self._confirmation(self.portal_create(self.user_b, "contact_update", city="Huế"))
        self.assertIn("Kính gửi Quý khách", mail.body_html)
        self.assertIn("liên hệ với Quý khách.", mail.body_html)
        self.assertNotIn("Anh/Chị", mail.body_html + mail.subject)

    def _set_stored(self, template, **values):
        """Store values as an older version left them: {lang: text} for a translated field."""
        template.flush_recordset()
        for name, value in values.items():
            value = json.dumps(value) if template._fields[name].translate else value
            self.env.cr.execute(f"UPDATE mail_template SET {name} = %s WHERE id = %s", [value, template.id])
        template.invalidate_recordset()

    def test_update_replaces_the_old_shipped_text_only(self):
        template = self.env.ref(self.TEMPLATE)
        current = {lang: template.with_context(lang=lang).subject for lang in ("en_US", "vi_VN")}
        self._set_stored(template, subject={
            "en_US": current["en_US"], "vi_VN": "Chúng tôi đã nhận được yêu cầu {{ object.name }} của Anh/Chị"},
            lang="{{ object.partner_id.lang or 'vi_VN' }}",
            email_from="{{ (object.company_id.email_formatted or user.email_formatted) }}")
        self.env["pi.portal.request"]._update_confirmation_template()
        self.assertEqual(template.with_context(lang="vi_VN").subject, current["vi_VN"])
        self.assertEqual(template.lang, "{{ object.partner_id.lang }}")
        self.assertFalse(template.email_from)
        self.assertFalse(template._has_unsafe_expression())
        # A text PI edited is theirs: left as it is.
        self._set_stored(template, subject={"en_US": current["en_US"],
                                            "vi_VN": "Yêu cầu {{ object.name }} của Anh/Chị đã đến PI"})
        self.env["pi.portal.request"]._update_confirmation_template()
        self.assertEqual(template.with_context(lang="vi_VN").subject, "Yêu cầu {{ object.name }} của Anh/Chị đã đến PI")


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestConfirmationEmailEditing(ConfirmationCase):
    """PI's managers edit the confirmation email in the editor: static text yes, code no."""

    def test_shipped_template_holds_placeholders_only(self):
        for lang in ("en_US", "vi_VN"):
            template = self.env.ref(self.TEMPLATE).with_context(lang=lang)
            self.assertFalse(template._has_unsafe_expression(), lang)
            parser = SelfClosingTags()
            parser.feed(template.body_html)
            self.assertFalse(parser.found, f"{lang}: a browser opens these and never closes them")

    def test_manager_edits_the_text_and_the_investor_gets_it(self):
        template = self.env.ref(self.TEMPLATE).with_user(self.manager).with_context(lang="vi_VN")
        template.write({
            "body_html": browser_round_trip(template.body_html, replace_text("Trân trọng", "Trân trọng cảm ơn")),
            "subject": "PI đã nhận yêu cầu {{ object.name }}",
        })
        portal_request = self.portal_create(self.user_a, "renew", self.contract_a, desired_date="2026-12-31")
        mail = self._confirmation(portal_request)
        self.assertEqual(mail.subject, f"PI đã nhận yêu cầu {portal_request.name}")
        for text in ("Kính gửi Anh Hùng", f"{portal_request.name}</strong> của Anh:",
                     f"Gia hạn hợp đồng {self.contract_a.name} vào ngày 31/12/2026", "Ghi chú của Anh: không có",
                     "Tư vấn viên Nguyễn Thị Lan sẽ sớm liên hệ với Anh.", "Trân trọng cảm ơn,"):
            self.assertIn(text, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.investor_a)

    def test_manager_cannot_put_code_in_it(self):
        template = self.env.ref(self.TEMPLATE).with_user(self.manager).with_context(lang="vi_VN")
        before = template.sudo().body_html
        for vals in ({"body_html": '<p t-if="object.note">Có ghi chú</p>'},
                     {"body_html": '<p><t t-out="object.partner_id.bank_ids.acc_number"></t></p>'},
                     {"subject": "{{ object.env.user.login }}"},
                     {"partner_to": "{{ object.user_id.partner_id.id }}"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                template.write(vals)
        self.assertEqual(template.sudo().body_html, before)

    def test_an_english_investor_reads_english(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.investor_a.lang = "en_US"
        portal_request = self.portal_create(self.user_a, "settle", self.contract_a, desired_date="2026-12-31",
                                            note="Morning calls")
        mail = self._confirmation(portal_request)
        self.assertEqual(mail.subject, f"We have received your request {portal_request.name}")
        self.assertIn(f"Settlement of contract {self.contract_a.name} on 12/31/2026", mail.body_html)
        self.assertIn("Your note: Morning calls", mail.body_html)


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalInvitation(PiPortalCommon, MockEmail):

    def _new_contract(self, email):
        partner, _user = new_investor(self.env, "Đặng Thu Hương", self.consultant_lan, email=email,
                                      mobile="+84977000333")
        return self.new_contract(partner, None, 300_000_000, activate=False)

    def test_first_activation_invites_when_the_setting_is_on(self):
        self.env["ir.config_parameter"].sudo().set_param("pi_portal.auto_invite", True)
        contract = self._new_contract("huong@example.vn")
        with self.mock_mail_gateway():
            contract.with_user(self.consultant_lan).action_activate()
        user = contract.partner_id.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertTrue([mail for mail in self._mails if "huong@example.vn" in str(mail["email_to"])],
                        "the stock invitation email is sent")
        self.assertTrue(contract.partner_has_portal)

    def test_without_the_setting_the_consultant_invites_with_the_button(self):
        contract = self._new_contract("huong2@example.vn")
        contract.action_activate()
        self.assertFalse(contract.partner_id.user_ids)
        self.assertFalse(contract.partner_has_portal)
        with self.mock_mail_gateway():
            contract.with_user(self.consultant_lan).action_invite_to_portal()
        self.assertTrue(contract.partner_id.user_ids._is_portal())
        self.assertTrue([mail for mail in self._mails if "huong2@example.vn" in str(mail["email_to"])])
        # A second click says so, in a message the consultant can read.
        with self.assertRaises(UserError):
            contract.with_user(self.consultant_lan).action_invite_to_portal()

    def test_investor_without_email_gets_a_note_instead(self):
        self.env["ir.config_parameter"].sudo().set_param("pi_portal.auto_invite", True)
        contract = self._new_contract(False)
        contract.action_activate()
        self.assertFalse(contract.partner_id.user_ids)
        self.assertIn("could not be invited", contract.message_ids[0].body)
