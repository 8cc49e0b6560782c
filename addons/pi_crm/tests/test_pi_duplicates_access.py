from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from .common import PiCrmCommon


@tagged("pi_security")
class TestPiDuplicatesAccess(PiCrmCommon):
    """Issue 11 point 9: Lan's lead and Lan's new contact carry the phone of
    Minh's customer Tuấn. Their forms open; the banner counts Tuấn without
    showing him."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_minh.mobile = "+84977555111"  # a number of no demo record
        cls.lead_lan.phone = cls.customer_minh.mobile
        cls.lead_twin_minh = cls.env["crm.lead"].create(
            {"name": "Tuấn hỏi lại", "phone": cls.customer_minh.mobile, "user_id": cls.consultant_minh.id}
        )
        cls.partner_twin_lan = cls.env["res.partner"].create(
            {"name": "Anh Tuấn (số cũ)", "phone": cls.customer_minh.mobile, "user_id": cls.consultant_lan.id}
        )

    @users("test_tv_lan")
    def test_lead_form_opens_and_shows_only_what_the_consultant_may_see(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        values = lead.read(
            ["pi_duplicate_lead_ids", "pi_duplicate_partner_ids", "pi_duplicate_count", "pi_duplicate_hidden_count"]
        )[0]
        self.assertEqual(values["pi_duplicate_lead_ids"], [])
        self.assertEqual(values["pi_duplicate_partner_ids"], self.partner_twin_lan.ids)
        self.assertEqual((values["pi_duplicate_count"], values["pi_duplicate_hidden_count"]), (3, 2))
        # what the web client does: get_views, then web_read with the form's spec
        form = Form(lead)
        self.assertEqual(form.pi_duplicate_hidden_count, 2)
        self.assertEqual(form.pi_duplicate_partner_ids.ids, self.partner_twin_lan.ids)
        arch = self.env["crm.lead"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("pi_duplicate_hidden_count", arch)

    @users("test_tv_lan")
    def test_partner_form_opens_with_a_colleague_s_duplicate(self):
        partner = self.env["res.partner"].browse(self.partner_twin_lan.id)
        form = Form(partner)
        self.assertEqual(form.pi_duplicate_count, 1)
        self.assertEqual(form.pi_duplicate_hidden_count, 1)
        self.assertFalse(form.pi_duplicate_partner_ids)

    @users("test_tv_lan")
    def test_hidden_duplicates_cannot_be_linked_or_merged(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        with self.assertRaises(UserError):
            lead.action_pi_merge_duplicates()
        lead.action_pi_link_duplicate_partner()  # the visible one: Lan's own contact
        self.assertEqual(lead.partner_id, self.partner_twin_lan)
        with self.assertRaises(UserError):
            self.env["res.partner"].browse(self.partner_twin_lan.id).action_pi_merge_duplicates()

    @users("test_ql_ha")
    def test_manager_sees_every_duplicate(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        self.assertEqual(lead.pi_duplicate_lead_ids, self.lead_twin_minh)
        self.assertEqual(lead.pi_duplicate_partner_ids, self.customer_minh | self.partner_twin_lan)
        self.assertEqual(lead.pi_duplicate_hidden_count, 0)
