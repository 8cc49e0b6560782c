from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PiPortalCommon, PiPortalHttpCommon

ATTACKER_EMAIL = "attacker@evil.example"


class TamperingCase(PiPortalCommon):
    """Investor A's contact and bank update requests, sent from the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_request = cls.portal_create(cls.user_a, "contact_update", email="hung.moi@example.vn")
        cls.bank_request = cls.portal_create(cls.user_a, "bank_update", bank_name="Vietcombank",
                                             bank_account="0071000123456")
        cls.emails_before = {
            partner: partner.email
            for partner in (cls.consultant_minh.partner_id, cls.manager.partner_id, cls.investor_b)}

    def assert_nobody_else_changed(self):
        for partner, email in self.emails_before.items():
            self.assertEqual(partner.email, email, f"{partner.name}'s email must not change")
        self.assertEqual(self.consultant_minh.login, "pp_tv_minh")
        self.assertEqual(self.manager.login, "pp_ql_ha")



@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalRequestTampering(TamperingCase):
    """A request's investor, kind, contract and requested values are fixed when the
    investor sends it; approval applies them to that investor only, with the
    approver's rights, and never to a PI user's or a company's partner."""

    def test_consultant_cannot_point_a_request_at_a_colleague_or_a_manager(self):
        Request = self.env["pi.portal.request"].with_user(self.consultant_lan)
        portal_request = Request.browse(self.contact_request.id)
        for victim in (self.consultant_minh.partner_id, self.manager.partner_id, self.investor_b):
            with self.subTest(victim=victim.name), self.assertRaises(AccessError):
                portal_request.write({"partner_id": victim.id, "new_email": ATTACKER_EMAIL})
        with self.assertRaises(AccessError):
            portal_request.write({"new_email": ATTACKER_EMAIL})
        self.assertEqual(portal_request.partner_id, self.investor_a)
        self.assertEqual(portal_request.new_email, "hung.moi@example.vn")
        # Approving now applies what the investor asked, to the investor.
        portal_request.action_approve()
        self.assertEqual(self.investor_a.email, "hung.moi@example.vn")
        self.assert_nobody_else_changed()

    def test_approval_refuses_a_request_whose_partner_is_not_its_author(self):
        """Even a request changed behind the ORM's back (e.g. by SQL) is not applied to someone else."""
        for victim in (self.consultant_minh.partner_id, self.manager.partner_id, self.investor_b):
            with self.subTest(victim=victim.name):
                self.contact_request.sudo().write({"partner_id": victim.id, "new_email": ATTACKER_EMAIL})
                with self.assertRaises(AccessError):
                    self.contact_request.with_user(self.consultant_lan).action_approve()
                self.assertEqual(self.contact_request.state, "new")
                self.assert_nobody_else_changed()
        # A manager, who may write every partner, is refused just the same.
        self.contact_request.sudo().write({"partner_id": self.pi_admin.partner_id.id})
        with self.assertRaises(AccessError):
            self.contact_request.with_user(self.manager).action_approve()
        self.assertNotEqual(self.pi_admin.email, ATTACKER_EMAIL)

    def test_a_staff_members_partner_never_changes_through_the_portal(self):
        """An investor who is also a PI user (same partner): the portal cannot change that login's email."""
        staff = new_test_user(self.env, login="pp_staff_hung", groups="base.group_user,pi_crm.group_pi_consultant",
                              partner_id=self.investor_a.id, email="pp_hung@example.vn")
        with self.assertRaises(UserError):
            self.portal_create(self.user_a, "contact_update", email=ATTACKER_EMAIL)
        # A request sent before the investor became staff is not applied either.
        with self.assertRaises(AccessError):
            self.contact_request.with_user(self.manager).action_approve()
        self.assertEqual(staff.email, "pp_hung@example.vn")
        staff.active = False  # archived staff too
        with self.assertRaises(AccessError):
            self.contact_request.with_user(self.manager).action_approve()
        self.assertEqual(self.contact_request.state, "new")

    def test_approval_checks_the_approvers_own_right_on_the_investor(self):
        """A request assigned to Lan whose investor is Minh's customer: Lan may not change that customer."""
        self.investor_a.sudo().user_id = self.consultant_minh
        with self.assertRaises(AccessError):
            self.contact_request.with_user(self.consultant_lan).action_approve()
        self.assertEqual(self.investor_a.email, "pp_hung@example.vn")
        self.contact_request.with_user(self.manager).action_approve()
        self.assertEqual(self.investor_a.email, "hung.moi@example.vn")

    def test_kind_state_and_requested_values_are_fixed(self):
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            portal_request = self.bank_request.with_user(user)
            for vals in ({"kind": "contact_update"}, {"kind": "contact_update", "new_email": ATTACKER_EMAIL},
                         {"state": "done"}, {"contract_id": self.contract_a.id}, {"new_bank_account": "999999999"},
                         {"company_id": self.env.company.id}, {"name": "YC/X"}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    portal_request.write(vals)
        self.assertEqual((self.bank_request.kind, self.bank_request.state), ("bank_update", "new"))
        # The consultant cannot approve a bank change, whatever the request says.
        with self.assertRaises(AccessError):
            self.bank_request.with_user(self.consultant_lan).action_approve()
        self.assertFalse(self.investor_a.bank_ids)

    def test_investor_cannot_approve_or_refuse_their_own_request(self):
        portal_request = self.contact_request.with_user(self.user_a)
        for action in ("action_approve", "action_refuse"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(portal_request, action)()
        self.assertEqual(self.investor_a.email, "pp_hung@example.vn")
        self.assertEqual(self.contact_request.state, "new")

    def test_nobody_creates_a_request_by_hand(self):
        vals = {"partner_id": self.manager.partner_id.id, "kind": "contact_update", "new_email": ATTACKER_EMAIL}
        for user in (self.user_a, self.consultant_lan, self.manager, self.pi_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["pi.portal.request"].with_user(user).create(vals)
            with self.subTest(user=user.login, copy=True), self.assertRaises(AccessError):
                self.contact_request.with_user(user).copy({"partner_id": self.manager.partner_id.id})
        # Nor does a staff member through the portal's form code.
        with self.assertRaises(UserError):
            self.env["pi.portal.request"].with_user(self.manager)._portal_create(
                self.manager.partner_id, "contact_update", email=ATTACKER_EMAIL)
        self.assertFalse(self.env["pi.portal.request"].search([("partner_id", "=", self.manager.partner_id.id)]))

@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalRequestTamperingHttp(TamperingCase, PiPortalHttpCommon):
    """The same requests, seen and attacked through the portal's HTTP and JSON-RPC routes."""

    def test_staff_may_answer_and_reassign(self):
        self.contact_request.with_user(self.consultant_lan).write({"answer": "Em đã nhận, sẽ gọi lại Anh."})
        self.contact_request.with_user(self.manager).write({"user_id": self.consultant_minh.id})
        self.assertEqual(self.contact_request.answer, "Em đã nhận, sẽ gọi lại Anh.")
        self.assertEqual(self.contact_request.user_id, self.consultant_minh)
        self.authenticate("pp_hung", "pp_hung")
        self.assertIn("Em đã nhận, sẽ gọi lại Anh.", self.url_open("/my/investor").text)

    def test_forged_create_over_json_rpc_is_refused(self):
        self.authenticate("pp_hung", "pp_hung")
        with self.assertRaisesRegex(Exception, "AccessError"), self.assertLogs("odoo.http", "WARNING"):
            self.make_jsonrpc_request("/web/dataset/call_kw/pi.portal.request/create", {
                "model": "pi.portal.request", "method": "create", "args": [{
                    "partner_id": self.manager.partner_id.id, "kind": "contact_update",
                    "new_email": ATTACKER_EMAIL}], "kwargs": {}})
        with self.assertRaisesRegex(Exception, "AccessError"), self.assertLogs("odoo.http", "WARNING"):
            self.make_jsonrpc_request("/web/dataset/call_kw/pi.portal.request/action_approve", {
                "model": "pi.portal.request", "method": "action_approve", "args": [[self.contact_request.id]],
                "kwargs": {}})
        self.assertFalse(self.env["pi.portal.request"].search([("new_email", "=", ATTACKER_EMAIL)]))
        self.assertEqual(self.investor_a.email, "pp_hung@example.vn")


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalInvitationRights(PiPortalCommon, MockEmail):
    """The stock invitation wizard runs as superuser: only the contract's consultant
    (or a manager) invites, and only an investor."""

    def _contract(self, partner, user):
        return self.new_contract(partner, user, 300_000_000)

    def assert_no_portal_login(self, partner):
        users = partner.with_context(active_test=False).user_ids
        self.assertFalse(users.filtered(lambda user: user._is_portal()), f"{partner.name} got a portal login")

    def test_consultant_cannot_invite_the_companys_own_partner(self):
        company_partner = self.env.company.partner_id
        company_partner.email = "info@pi.example.vn"  # a contract's investor has a phone or an email
        contact = self.env["res.partner"].create({
            "name": "Kế toán PI", "parent_id": company_partner.id, "email": "ketoan@pi.example.vn",
            "user_id": self.consultant_lan.id})
        draft = self.env["pi.investment.contract"].with_user(self.consultant_lan).create({
            "partner_id": contact.id, "product_id": self.product.id, "principal": 300_000_000,
            "date_start": self.start, "user_id": self.consultant_lan.id})
        with self.mock_mail_gateway(), self.assertRaises(UserError):
            draft.action_invite_to_portal()
        self.assert_no_portal_login(company_partner)
        # Signed or not: the company's partner is never invited.
        active = self._contract(company_partner, self.consultant_lan)
        for contract in (draft, active):
            with self.subTest(state=contract.state), self.mock_mail_gateway(), self.assertRaises(UserError):
                contract.with_user(self.consultant_lan).action_invite_to_portal()
        self.assert_no_portal_login(company_partner)
        self.assert_no_portal_login(contact)

    def test_staff_partners_are_never_invited(self):
        for victim in (self.consultant_minh, self.manager):
            contract = self._contract(victim.partner_id, self.consultant_lan)
            with self.subTest(victim=victim.login), self.mock_mail_gateway(), self.assertRaises(UserError):
                contract.with_user(self.consultant_lan).action_invite_to_portal()
            self.assertTrue(victim._is_internal(), "still an internal user")
            self.assertEqual(victim.partner_id.user_ids, victim)
        # The automatic invitation at activation skips them too, with a note.
        self.env["ir.config_parameter"].sudo().set_param("pi_portal.auto_invite", True)
        archived = new_test_user(self.env, login="pp_old_staff", groups="base.group_user", email="old@pi.example.vn")
        archived.active = False
        contract = self._contract(archived.partner_id, self.consultant_lan)
        self.assert_no_portal_login(archived.partner_id)
        self.assertIn("PI", contract.message_ids[0].body)

    def test_only_the_contracts_consultant_or_a_manager_invites(self):
        partner = self.env["res.partner"].create({
            "name": "Đặng Thu Hương", "email": "huong3@example.vn", "user_id": self.consultant_lan.id})
        contract = self._contract(partner, self.consultant_lan)
        # Minh cannot even read Lan's contract; an investor has no right at all.
        for user in (self.consultant_minh, self.user_a):
            with self.subTest(user=user.login), self.mock_mail_gateway(), self.assertRaises(AccessError):
                contract.with_user(user).action_invite_to_portal()
        self.assert_no_portal_login(partner)
        # A manager invites the investor of any contract.
        with self.mock_mail_gateway():
            contract.with_user(self.manager).action_invite_to_portal()
        self.assertTrue(partner.user_ids._is_portal())

    def test_consultant_invites_own_active_investor(self):
        partner = self.env["res.partner"].create({
            "name": "Đặng Thu Hương", "email": "huong4@example.vn", "user_id": self.consultant_lan.id})
        contract = self._contract(partner, self.consultant_lan)
        with self.mock_mail_gateway():
            contract.with_user(self.consultant_lan).action_invite_to_portal()
        self.assertTrue(partner.user_ids._is_portal())
        self.assertTrue([mail for mail in self._mails if "huong4@example.vn" in str(mail["email_to"])])
