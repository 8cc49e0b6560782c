from odoo.tests import Form

from .common import PiCrmCommon, ensure_vietnamese


class TestResPartner(PiCrmCommon):
    def test_salutation_follows_gender_and_given_name(self):
        partner = self.env["res.partner"].create({"name": "Trần Thị Lan", "pi_gender": "female"})
        self.assertEqual(partner.pi_salutation, "Chị Lan")
        partner.write({"name": "Nguyễn Văn Minh", "pi_gender": "male"})
        self.assertEqual(partner.pi_salutation, "Anh Minh")
        partner.pi_gender = False
        self.assertEqual(partner.pi_salutation, "Quý khách")

    def test_leads_and_customers_offer_the_same_genders_in_vietnamese(self):
        ensure_vietnamese(self.env)
        env = self.env(context={"lang": "vi_VN"})
        lead = env["crm.lead"]._fields["pi_gender"]._description_selection(env)
        partner = env["res.partner"]._fields["pi_gender"]._description_selection(env)
        self.assertEqual(dict(partner), {"male": "Nam", "female": "Nữ", "other": "Khác"})
        self.assertEqual(lead, partner)

    def test_company_is_addressed_as_quy_khach(self):
        self.assertEqual(self.company_unassigned.pi_salutation, "Quý khách")

    def test_partner_form_shows_gender_and_birthdate(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Vũ Phương Thảo"
            form.pi_gender = "female"
            form.pi_birthdate = "1982-01-30"
            self.assertEqual(form.pi_salutation, "Chị Thảo")
        partner = form.save()
        self.assertEqual(str(partner.pi_birthdate), "1982-01-30")

    def test_birthdate_change_is_tracked_in_chatter(self):
        partner = self.env["res.partner"].create({"name": "Lê Văn Hùng", "pi_gender": "male"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        partner.pi_birthdate = "1978-03-15"
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written just before commit
        self.env.invalidate_all()
        tracked = partner.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "pi_birthdate")
        self.assertTrue(tracked)
