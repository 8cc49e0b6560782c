from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import new_investor, new_staff

# "Contact Creation": every user created from the default template has it, and
# with it the stock portal wizard's access rights.
CONTACT_CREATION = "base.group_partner_manager"


@tagged("pi_portal", "pi_security")
class TestStockPortalWizardRights(TransactionCase, MockEmail):
    """The stock portal wizard (contacts › Action › Grant portal access) acts as
    superuser: called over RPC by a consultant, it must not give a partner they
    may only read (one nobody looks after, the company's own) a login, revoke
    access or resend invitations. Stock itself stops at partners they cannot read.

        consultant Lan ── investor Hùng (no login yet)
        consultant Minh ── investor Tuấn (portal login)
        nobody ── Đức (portal login), Sao Mai (a company, no login)
        manager Hà; the company's partner "Passion Investment" and its contact "Kế toán"
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lan = new_staff(cls.env, "pw_tv_lan", "consultant", email="lan@pi.example.vn",
                            extra_groups=CONTACT_CREATION)
        cls.minh = new_staff(cls.env, "pw_tv_minh", "consultant", email="minh@pi.example.vn",
                             extra_groups=CONTACT_CREATION)
        cls.manager = new_staff(cls.env, "pw_ql_ha", "manager", email="ha@pi.example.vn", extra_groups=CONTACT_CREATION)
        Partner = cls.env["res.partner"]
        cls.hung, _user = new_investor(cls.env, "Lê Văn Hùng", cls.lan, email="pw_hung@example.vn")
        cls.tuan, cls.tuan_user = new_investor(cls.env, "Hoàng Anh Tuấn", cls.minh, login="pw_tuan@example.vn",
                                               email="pw_tuan@example.vn")
        cls.duc, cls.duc_user = new_investor(cls.env, "Trương Minh Đức", login="pw_duc@example.vn",
                                             email="pw_duc@example.vn")
        cls.sao_mai = Partner.create({"name": "Công ty Sao Mai", "is_company": True, "email": "pw_saomai@example.vn"})
        cls.company_partner = cls.env.company.partner_id
        cls.company_partner.email = "info@pi.example.vn"
        cls.company_contact = Partner.create(
            {"name": "Kế toán PI", "parent_id": cls.company_partner.id, "email": "ketoan@pi.example.vn"}
        )

    def _line(self, user, partner):
        """The wizard line for ``partner``, created by ``user`` as an RPC call would
        (a partner they cannot read is linked all the same)."""
        wizard = self.env["portal.wizard"].with_user(user).create({})
        return self.env["portal.wizard.user"].with_user(user).create(
            {"wizard_id": wizard.id, "partner_id": partner.id, "email": partner.sudo().email})

    def assert_no_portal_login(self, partner):
        users = partner.with_context(active_test=False).user_ids
        self.assertFalse(users.filtered(lambda user: user._is_portal()), f"{partner.name} got a portal login")

    def test_consultant_cannot_grant_a_partner_they_only_read(self):
        for partner in (self.sao_mai, self.hung):
            line = self._line(self.minh, partner)
            with self.subTest(partner=partner.name), self.mock_mail_gateway(), self.assertRaises(AccessError):
                line.action_grant_access()
            self.assert_no_portal_login(partner)
        self.assertNotSentEmail()

    def test_nobody_grants_the_companys_own_partner(self):
        for user, error in ((self.lan, AccessError), (self.manager, UserError)):
            line = self._line(user, self.company_partner)
            with self.subTest(user=user.login), self.mock_mail_gateway(), self.assertRaises(error):
                line.action_grant_access()
        self.assert_no_portal_login(self.company_partner)

    def test_nor_a_contact_of_the_company_or_a_staff_member(self):
        archived = new_test_user(self.env, login="pw_old_staff", email="old@pi.example.vn", groups="base.group_user")
        archived.active = False
        for partner in (self.company_contact, archived.partner_id):
            line = self._line(self.manager, partner)
            with self.subTest(partner=partner.name), self.mock_mail_gateway(), self.assertRaises(UserError):
                line.action_grant_access()
        self.assert_no_portal_login(self.company_contact)
        self.assertFalse(archived.active)
        self.assertTrue(archived._is_internal())

    def test_consultant_cannot_revoke_or_reinvite_a_login_they_do_not_look_after(self):
        for partner, user in ((self.duc, self.duc_user), (self.tuan, self.tuan_user)):
            line = self._line(self.lan, partner)
            with self.subTest(partner=partner.name):
                with self.mock_mail_gateway(), self.assertRaises(AccessError):
                    line.action_invite_again()
                self.assertNotSentEmail()
                with self.assertRaises(AccessError):
                    line.action_revoke_access()
                self.assertTrue(user.active)
                self.assertTrue(user._is_portal())

    def test_consultant_manages_own_investors_access(self):
        line = self._line(self.lan, self.hung)
        with self.mock_mail_gateway():
            line.action_grant_access()
        user = self.hung.user_ids
        self.assertTrue(user._is_portal())
        self.assertTrue([mail for mail in self._mails if "pw_hung@example.vn" in str(mail["email_to"])])
        with self.mock_mail_gateway():
            line.action_invite_again()
        self.assertEqual(len(self._new_mails), 1)
        line.action_revoke_access()
        self.assertFalse(user.active)

    def test_manager_manages_every_investors_access(self):
        line = self._line(self.manager, self.tuan)
        line.action_revoke_access()
        self.assertFalse(self.tuan_user.active)
        with self.mock_mail_gateway():
            self._line(self.manager, self.hung).action_grant_access()
        self.assertTrue(self.hung.user_ids._is_portal())
