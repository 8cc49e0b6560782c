from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users

from .common import PiCrmCommon


@tagged("pi_security")
class TestPiPartnerRules(PiCrmCommon):
    """Issue 11 point 5: a consultant reads the partners nobody looks after (the
    company, users) but changes only their own customers and those customers'
    contacts; stock screens built on those partners keep working."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env.company.partner_id
        cls.contact_lan = cls.env["res.partner"].create(
            {"name": "Lê Thị Hoa", "parent_id": cls.customer_lan.id, "user_id": False}
        )

    # ------------------------------------------------------------ refused
    @users("test_tv_lan")
    def test_consultant_cannot_write_partners_nobody_looks_after(self):
        Partner = self.env["res.partner"]
        for partner in (self.company_partner, self.company_unassigned, self.consultant_minh.partner_id,
                        self.manager.partner_id):
            with self.subTest(partner=partner.name):
                Partner.browse(partner.id).read(["name", "email"])  # still visible
                with self.assertRaises(AccessError):
                    Partner.browse(partner.id).write({"email": "ke.gian@example.vn"})
        self.assertNotEqual(self.company_partner.email, "ke.gian@example.vn")

    @users("test_tv_lan")
    def test_consultant_cannot_create_a_customer_for_a_colleague(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].create({"name": "Khách gửi Minh", "user_id": self.consultant_minh.id})

    @users("test_tv_lan")
    def test_consultant_cannot_add_a_contact_to_the_company_s_address(self):
        # stock copies the first contact's address onto an address-less company:
        # not onto one the consultant may not change
        company = self.env["res.partner"].browse(self.company_unassigned.id)
        contact = self.env["res.partner"].create(
            {"name": "Kế toán Sao Mai", "parent_id": company.id, "street": "1 Nguyễn Huệ", "type": "other"}
        )
        self.assertEqual(contact.user_id, self.env.user)
        self.assertFalse(company.street)

    # ------------------------------------------------------------ allowed
    @users("test_tv_lan")
    def test_consultant_writes_own_customers_and_their_contacts(self):
        Partner = self.env["res.partner"]
        Partner.browse(self.customer_lan.id).write({"email": "hung.le@example.vn"})
        Partner.browse(self.contact_lan.id).write({"email": "hoa.le@example.vn"})
        self.assertEqual(self.contact_lan.email, "hoa.le@example.vn")

    @users("test_tv_lan")
    def test_a_partner_the_consultant_creates_is_theirs(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Vũ Phương Thảo"
        partner = form.record
        self.assertEqual(partner.user_id, self.env.user)
        partner.write({"email": "thao.vu@example.vn"})
        company = self.env["res.partner"].create({"name": "Công ty Thảo Nguyên", "is_company": True})
        self.assertEqual(company.user_id, self.env.user)

    @users("test_tv_lan")
    def test_user_preferences_still_write_the_own_partner(self):
        # the preferences dialog writes res.users; stock writes the partner as
        # superuser for the self-writeable fields
        user = self.env.user
        with self.assertRaises(AccessError):
            self.env["res.partner"].browse(user.partner_id.id).write({"email": "lan@example.vn"})
        user.write({"name": "Nguyễn Thị Lan (TV)", "email": "lan.nguyen@example.vn", "signature": "<p>Lan</p>"})
        self.assertEqual(user.partner_id.sudo().email, "lan.nguyen@example.vn")
        self.assertEqual(user.partner_id.sudo().name, "Nguyễn Thị Lan (TV)")

    @users("test_ql_ha")
    def test_manager_writes_any_partner(self):
        Partner = self.env["res.partner"]
        # (users' partners: stock asks for the right to change users)
        for partner in (self.company_unassigned, self.customer_minh, self.company_partner):
            Partner.browse(partner.id).write({"comment": "<p>Kiểm tra</p>"})

    # ------------------------------------------------------------ stock screens
    @users("test_tv_lan")
    def test_chatter_activities_and_composer_on_own_lead(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        recipients = self.company_partner | self.consultant_minh.partner_id
        lead.message_subscribe(partner_ids=self.consultant_minh.partner_id.ids)
        self.assertIn(self.consultant_minh.partner_id, lead.message_partner_ids)
        lead.message_post(body="Nhờ anh Minh xem giúp", partner_ids=recipients.ids, message_type="comment")
        lead.activity_schedule("mail.mail_activity_data_todo", user_id=self.consultant_minh.id, summary="Xem giúp")
        composer = Form(
            self.env["mail.compose.message"].with_context(
                default_model="crm.lead", default_res_ids=lead.ids, default_composition_mode="comment"
            )
        )
        composer.body = "<p>Gửi lịch hẹn</p>"
        composer.partner_ids.add(self.env["res.partner"].browse(self.company_partner.id))
        composer.save().action_send_mail()
        self.assertEqual(lead.message_ids[0].partner_ids, self.company_partner)
        # the lead form, with the colleague as follower and activity owner
        Form(lead)

    @users("test_tv_lan")
    def test_portal_invitation_of_own_customer(self):
        if "portal.wizard" not in self.env:
            self.skipTest("portal is not installed")
        self.env.user.sudo().groups_id += self.env.ref("base.group_partner_manager")
        customer = self.env["res.partner"].browse(self.customer_lan.id)
        customer.email = "hung.le@example.vn"
        wizard = self.env["portal.wizard"].with_context(active_ids=customer.ids).create({})
        wizard.user_ids.filtered(lambda line: line.partner_id == customer).action_grant_access()
        self.assertTrue(customer.sudo().user_ids._is_portal())
