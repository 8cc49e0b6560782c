from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiConsultation(PiCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_lan.lang = "vi_VN"
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.result_interested = cls.env.ref("pi_crm.result_interested")

    def _consult_activities(self, lead):
        return lead.activity_ids.filtered(lambda activity: activity.activity_type_id == self.todo_type)

    def _log_call(self, lead, **values):
        wizard_values = {"lead_id": lead.id, "summary": "Giới thiệu gói BCC 12 tháng"}
        wizard_values.update(values)
        return self.env["pi.log.call"].create(wizard_values).action_log()

    # ------------------------------------------------------------ new-lead queue
    def test_new_lead_is_new_with_a_todo_for_its_salesperson(self):
        # even a caller asking for another state (RPC, API) gets a new lead
        lead = self.env["crm.lead"].create(
            {"name": "Khách từ website", "user_id": self.consultant_lan.id, "pi_consult_state": "done"}
        )
        self.assertEqual(lead.pi_consult_state, "new")
        activity = self._consult_activities(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.consultant_lan)
        self.assertEqual(activity.summary, "Tư vấn KH mới")  # in the consultant's language
        self.assertEqual(lead.pi_consult_activity_id, activity)
        new_leads = self.env["crm.lead"].search([("pi_consult_state", "=", "new"), ("id", "=", lead.id)])
        self.assertEqual(new_leads, lead)

    def test_lead_without_salesperson_goes_to_the_team_leader(self):
        team = self.env["crm.team"].create({"name": "Đội Hà Nội", "user_id": self.manager.id})
        lead = self.env["crm.lead"].create({"name": "Khách tổng đài", "user_id": False, "team_id": team.id})
        self.assertEqual(self._consult_activities(lead).user_id, self.manager)

    def test_reassigning_a_new_lead_moves_its_activity(self):
        lead = self.env["crm.lead"].create({"name": "Khách mới", "user_id": self.consultant_lan.id})
        lead.user_id = self.consultant_minh
        activity = self._consult_activities(lead)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.consultant_minh)

    def test_reassigned_activity_speaks_its_new_owners_language(self):
        self.consultant_minh.lang = "en_US"
        lead = self.env["crm.lead"].create({"name": "Khách chuyển giao", "user_id": self.consultant_minh.id})
        self.assertEqual(self._consult_activities(lead).summary, "Consult the new customer")
        lead.user_id = self.consultant_lan
        activity = self._consult_activities(lead)
        self.assertEqual((activity.user_id, activity.summary), (self.consultant_lan, "Tư vấn KH mới"))

    def test_unassigned_lead_gets_its_activity_when_assigned(self):
        lead = self.env["crm.lead"].create({"name": "Khách chưa giao", "user_id": False, "team_id": False})
        self.assertFalse(self._consult_activities(lead))
        lead.user_id = self.consultant_minh
        self.assertEqual(self._consult_activities(lead).user_id, self.consultant_minh)

    @users("test_tv_lan")
    def test_first_call_moves_lead_to_consulting_and_closes_the_activity(self):
        lead = self.env["crm.lead"].create({"name": "Khách của Lan", "user_id": self.env.user.id})
        activity = lead.pi_consult_activity_id
        self.assertTrue(activity)
        self._log_call(lead, result_id=self.result_interested.id)
        self.assertEqual(lead.pi_consult_state, "consulting")
        self.assertFalse(activity.exists(), "the new-lead activity is marked done")
        self.assertFalse(self._consult_activities(lead))
        self.assertEqual(lead.pi_class, "potential", "the result classifies the lead")
        self.assertEqual(lead.pi_interaction_count, 1)
        done_message = lead.message_ids.filtered(lambda message: message.mail_activity_type_id == self.todo_type)
        self.assertTrue(done_message, "the done activity is logged in the chatter")

    def test_intake_call_keeps_the_lead_in_the_new_queue(self):
        lead = self.env["crm.lead"].create({"name": "Gọi tổng đài", "user_id": self.consultant_lan.id})
        interaction = lead._pi_log_interaction({"summary": "Khách gọi tổng đài hỏi lãi suất", "intake": True})
        self.assertEqual(interaction.direction, "in")
        self.assertEqual(interaction.user_id, self.consultant_lan)
        self.assertEqual(lead.pi_consult_state, "new")
        self.assertTrue(self._consult_activities(lead))
        lead._pi_log_interaction({"summary": "Khách gọi lại", "channel": "call"})
        self.assertEqual(lead.pi_consult_state, "consulting")
        self.assertFalse(self._consult_activities(lead))

    def test_won_or_lost_lead_is_done(self):
        won = self.env["crm.lead"].create({"name": "Ký hợp đồng", "type": "opportunity",
                                           "user_id": self.consultant_lan.id})
        won.action_set_won()
        self.assertEqual(won.pi_consult_state, "done")
        self.assertFalse(self._consult_activities(won))
        lost = self.env["crm.lead"].create({"name": "Không đầu tư", "user_id": self.consultant_lan.id})
        self._log_call(lost)
        lost.action_set_lost()
        self.assertEqual(lost.pi_consult_state, "done")

    # ------------------------------------------------------------ log a call
    def test_log_call_without_customer_is_refused_in_vietnamese(self):
        wizard = self.env["pi.log.call"].with_context(lang="vi_VN").create({"summary": "Gọi nhầm"})
        count = self.env["pi.interaction"].search_count([])
        with self.assertRaisesRegex(UserError, "khách hàng"):
            wizard.action_log()
        self.assertEqual(self.env["pi.interaction"].search_count([]), count)
        with self.assertRaisesRegex(ValidationError, "khách hàng"):
            self.env["pi.interaction"].with_context(lang="vi_VN").create({"summary": "Không có khách"})

    def test_log_call_schedules_the_next_step(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        self._log_call(
            self.lead_lan,
            next_activity_type_id=call_type.id,
            next_date="2026-12-01",
            next_summary="Gọi lại báo lãi suất",
            next_user_id=self.consultant_lan.id,
        )
        next_step = self.lead_lan.activity_ids.filtered(lambda activity: activity.activity_type_id == call_type)
        self.assertEqual(str(next_step.date_deadline), "2026-12-01")
        self.assertEqual(next_step.user_id, self.consultant_lan)
        self.assertEqual(next_step.summary, "Gọi lại báo lãi suất")

    def test_log_call_from_a_customer(self):
        action = self.customer_lan.action_pi_log_call()
        wizard = Form(self.env["pi.log.call"].with_context(**action["context"]))
        wizard.summary = "Hỏi thăm sau kỳ chi trả"
        wizard.result_id = self.env.ref("pi_crm.result_callback")
        interaction = wizard.save().action_log()
        self.assertEqual(interaction.partner_id, self.customer_lan)
        self.assertEqual(interaction.channel, "call")
        self.assertEqual(self.customer_lan.pi_interaction_ids, interaction)

    # ------------------------------------------------------------ manual entry, phones, duplicates
    def test_manual_entry_needs_a_phone_or_an_email(self):
        entry = self.env["pi.lead.entry"].with_context(lang="vi_VN").create({"contact_name": "Đỗ Minh Khoa"})
        with self.assertRaisesRegex(UserError, "số điện thoại hoặc email"):
            entry.action_create()

    def test_manual_entry_refuses_an_invalid_phone_and_writes_nothing(self):
        count = self.env["crm.lead"].search_count([])
        entry = self.env["pi.lead.entry"].with_context(lang="vi_VN").create(
            {"contact_name": "Đỗ Minh Khoa", "phone": "0912 34"}
        )
        with self.assertRaisesRegex(ValidationError, "không hợp lệ"):
            entry.action_create()
        self.assertEqual(self.env["crm.lead"].search_count([]), count)

    def test_manual_entry_normalizes_the_phone_and_shows_duplicates(self):
        existing = self.env["crm.lead"].create(
            {"name": "Lead cũ", "phone": "+84915999888", "user_id": self.consultant_lan.id}
        )
        action = (
            self.env["pi.lead.entry"]
            .create({"contact_name": "Đỗ Minh Khoa", "phone": "0915 999 888", "user_id": self.consultant_lan.id})
            .action_create()
        )
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.phone, "+84915999888")
        self.assertEqual(lead.source_id, self.env.ref("pi_crm.utm_source_assigned"))
        self.assertIn(existing, lead.pi_duplicate_lead_ids)
        merge = lead.action_pi_merge_duplicates()
        self.assertEqual(merge["res_model"], "crm.merge.opportunity")
        wizard = self.env["crm.merge.opportunity"].with_context(**merge["context"]).create({})
        self.assertEqual(set(wizard.opportunity_ids.ids), {lead.id, existing.id})
        merged = wizard.action_merge()
        self.assertEqual(self.env["crm.lead"].search_count([("id", "in", (lead | existing).ids)]), 1, merged)

    def test_lead_with_the_phone_of_a_customer_links_to_it(self):
        customer = self.env["res.partner"].create(
            {"name": "Phan Văn Đức", "mobile": "+84987000111", "user_id": self.consultant_lan.id}
        )
        lead = self.env["crm.lead"].create(
            {"name": "Khách gọi lại", "phone": "0987 000 111", "user_id": self.consultant_lan.id}
        )
        self.assertEqual(lead.pi_duplicate_partner_ids, customer)
        lead.action_pi_link_duplicate_partner()
        self.assertEqual(lead.partner_id, customer)

    def test_partner_phones_are_normalized_and_checked_on_pi_forms(self):
        Partner = self.env["res.partner"]
        partner = Partner.create({"name": "Trần Thị Hoa", "mobile": "0903 456 789"})
        self.assertEqual(partner.mobile, "+84903456789")
        other_app = Partner.create({"name": "Supplier", "phone": "ext. 42"})
        self.assertEqual(other_app.phone, "ext. 42", "records of other apps are not refused")
        PiPartner = Partner.with_context(pi_phone_check=True, lang="vi_VN")
        with self.assertRaisesRegex(ValidationError, "không hợp lệ"):
            PiPartner.create({"name": "Trần Thị Hoa", "mobile": "0903 456"})
        with self.assertRaisesRegex(ValidationError, "không hợp lệ"):
            PiPartner.browse(partner.id).write({"mobile": "12"})
        self.assertEqual(partner.mobile, "+84903456789")

    def test_old_eleven_digit_mobiles_are_stored_with_their_current_prefix(self):
        """The Vietnamese pre-step before stock formatting: "0168 …" is today's "038 …"."""
        customer = self.env["res.partner"].create({"name": "Võ Thị Yến", "mobile": "0168 123 4567"})
        self.assertEqual((customer.mobile, customer.phone_sanitized), ("+84381234567", "+84381234567"))
        lead = self.env["pi.lead.entry"].create(
            {"contact_name": "Võ Thị Yến", "phone": "84 168 123 4567", "user_id": self.consultant_lan.id}
        ).action_create()
        lead = self.env["crm.lead"].browse(lead["res_id"])
        self.assertEqual(lead.phone, "+84381234567")
        self.assertEqual(lead.pi_duplicate_partner_ids, customer, "the old and the new number are one person")

    def test_partner_phone_is_read_in_the_partner_s_country(self):
        france = self.env.ref("base.fr")
        partner = self.env["res.partner"].create(
            {"name": "Marie Dupont", "country_id": france.id, "mobile": "06 12 34 56 78"}
        )
        self.assertEqual(partner.mobile, "+33612345678")
        partner.write({"phone": "01 42 68 53 00"})
        self.assertEqual(partner.phone, "+33142685300")
        lead = self.env["crm.lead"].create({"name": "Việt kiều", "country_id": france.id, "phone": "0912 345 678"})
        self.assertEqual(lead.phone, "+84912345678", "a lead's number is read as Vietnamese")

    def test_phone_errors_read_in_the_user_s_language(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._pi_normalize_phone("(+84) 912.345.678"), "+84912345678")
        for lang, number, message in (
            ("vi_VN", "0912 34", "Số điện thoại «0912 34» không hợp lệ"),
            ("en_US", "0912 34", "The phone number “0912 34” is not valid"),
            ("vi_VN", " ", "Số điện thoại đang để trống"),
            ("en_US", "", "The phone number is empty"),
        ):
            with self.subTest(lang=lang, number=number), self.assertRaisesRegex(ValidationError, message):
                Partner.with_context(lang=lang)._pi_normalize_phone(number)

    def test_partner_with_the_phone_of_another_contact_is_flagged(self):
        first = self.env["res.partner"].create({"name": "Đinh Văn Sơn", "mobile": "0977 001 002"})
        second = self.env["res.partner"].create({"name": "Anh Sơn", "phone": "+84 977 001 002"})
        self.assertEqual(second.pi_duplicate_partner_ids, first)
        contact = self.env["res.partner"].create({"name": "Kế toán", "parent_id": first.id, "mobile": "0977001002"})
        self.assertNotIn(contact, first.pi_duplicate_partner_ids, "a company's own contacts are not duplicates")
        action = second.action_pi_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertIn(first, wizard.partner_ids)
        self.assertIn(second, wizard.partner_ids)
