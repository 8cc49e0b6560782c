from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged, users
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PiCrmCommon, pi_user


@tagged("pi_security")
class TestPiCrmLinking(PiCrmCommon):
    """Issue 11 point 4: linking a record to a colleague's customer must not
    reveal that customer (stock computes copy its details onto what links to it)
    nor change its score.

    Tuấn is Minh's customer, with e-mail, phones and an address; Lan links to him
    with ORM calls as the RPC layer makes them (``with_user``); the same attack
    over JSON-RPC itself is :class:`TestPiCrmLinkingJsonRpc`.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_minh.write(
            {
                "email": "tuan.hoang@example.vn",
                "phone": "+842838123456",
                "street": "12 Lê Lợi",
                "city": "Huế",
                "vat": "0312345678",
            }
        )
        cls.customer_lan.write({"email": "hung.le@example.vn", "street": "25 Trần Hưng Đạo", "city": "Hà Nội"})
        cls.result = cls.env["pi.interaction.result"].create({"name": "Hẹn gặp", "points": 40})

    def _score_of(self, partner):
        partner.invalidate_recordset(["pi_score", "pi_interaction_ids"])
        return partner.sudo().pi_score

    # ------------------------------------------------------------ leads
    @users("test_tv_lan")
    def test_lead_cannot_be_created_on_a_colleague_s_customer(self):
        Lead = self.env["crm.lead"].with_context(lang="vi_VN")
        count = Lead.sudo().search_count([])
        with self.assertRaisesRegex(AccessError, "thuộc nhân viên tư vấn khác"):
            Lead.create({"name": "Khách của Minh", "partner_id": self.customer_minh.id, "user_id": self.env.uid})
        self.assertEqual(Lead.sudo().search_count([]), count, "nothing created, nothing copied")

    @users("test_tv_lan")
    def test_own_lead_cannot_be_moved_to_a_colleague_s_customer(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        with self.assertRaises(AccessError):
            lead.write({"partner_id": self.customer_minh.id})
        self.assertFalse(lead.partner_id)
        self.assertFalse(lead.email_from, "the colleague's e-mail was not copied")

    @users("test_tv_lan")
    def test_lead_on_own_customer_copies_its_details(self):
        lead = self.env["crm.lead"].create(
            {"name": "Tăng vốn", "partner_id": self.customer_lan.id, "user_id": self.env.uid}
        )
        values = lead.read(["email_from", "mobile", "street", "city"])[0]
        self.assertEqual(
            (values["email_from"], values["mobile"], values["street"], values["city"]),
            ("hung.le@example.vn", "+84912345678", "25 Trần Hưng Đạo", "Hà Nội"),
        )

    @users("test_tv_lan")
    def test_lead_form_links_an_unassigned_company(self):
        # partners nobody looks after (the company, suppliers) stay linkable
        with Form(self.env["crm.lead"]) as form:
            form.name = "Hợp tác Sao Mai"
            form.partner_id = self.env["res.partner"].browse(self.company_unassigned.id)
        self.assertEqual(form.record.partner_id, self.company_unassigned)

    @users("test_ql_ha")
    def test_manager_links_any_customer(self):
        lead = self.env["crm.lead"].browse(self.lead_lan.id)
        lead.partner_id = self.customer_minh
        self.assertEqual(lead.email_from, "tuan.hoang@example.vn")

    # ------------------------------------------------------------ contacts
    @users("test_tv_lan")
    def test_contact_cannot_be_created_under_a_colleague_s_customer(self):
        Partner = self.env["res.partner"]
        for values in ({}, {"user_id": self.env.uid}, {"type": "other"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                Partner.create(dict(values, name="Vợ anh Tuấn", parent_id=self.customer_minh.id))
        self.assertFalse(Partner.sudo().search([("parent_id", "=", self.customer_minh.id)]))

    @users("test_tv_lan")
    def test_own_contact_cannot_be_moved_under_a_colleague_s_customer(self):
        contact = self.env["res.partner"].create({"name": "Trần Thị Mai"})
        with self.assertRaises(AccessError):
            contact.write({"parent_id": self.customer_minh.id})
        self.assertFalse(contact.street or contact.vat, "nothing copied from the colleague's customer")

    @users("test_tv_lan")
    def test_contact_under_own_customer_gets_its_address(self):
        contact = self.env["res.partner"].create({"name": "Lê Thị Hoa", "parent_id": self.customer_lan.id})
        self.assertEqual((contact.street, contact.city), ("25 Trần Hưng Đạo", "Hà Nội"))

    # ------------------------------------------------------------ interactions
    @users("test_tv_lan")
    def test_interaction_on_own_lead_with_a_colleague_s_customer_is_refused(self):
        score = self._score_of(self.customer_minh)
        with self.assertRaises(AccessError):
            self.env["pi.interaction"].create(
                {
                    "lead_id": self.lead_lan.id,
                    "partner_id": self.customer_minh.id,
                    "summary": "Gọi thử",
                    "result_id": self.result.id,
                }
            )
        self.assertEqual(self._score_of(self.customer_minh), score, "the colleague's customer score is unchanged")

    @users("test_tv_lan")
    def test_log_call_wizard_with_a_colleague_s_customer_is_refused(self):
        score = self._score_of(self.customer_minh)
        LogCall = self.env["pi.log.call"]
        with self.assertRaises(AccessError):
            LogCall.create(
                {"lead_id": self.lead_lan.id, "partner_id": self.customer_minh.id, "summary": "Gọi thử"}
            ).action_log()
        wizard = LogCall.create({"lead_id": self.lead_lan.id, "summary": "Gọi thử", "result_id": self.result.id})
        with self.assertRaises(AccessError):
            wizard.write({"partner_id": self.customer_minh.id})
        self.assertEqual(self._score_of(self.customer_minh), score)
        self.assertFalse(self.env["pi.interaction"].sudo().search([("partner_id", "=", self.customer_minh.id)]))

    @users("test_tv_lan")
    def test_interaction_cannot_move_to_a_colleague_s_lead_or_customer(self):
        interaction = self.env["pi.interaction"].create({"lead_id": self.lead_lan.id, "summary": "Gọi lần đầu"})
        with self.assertRaises(AccessError):
            interaction.write({"partner_id": self.customer_minh.id})
        with self.assertRaises(AccessError):
            interaction.write({"lead_id": self.lead_minh.id})
        with self.assertRaises(AccessError):
            self.env["pi.interaction"].create({"lead_id": self.lead_minh.id, "summary": "Gọi hộ"})

    @users("test_tv_lan")
    def test_call_with_own_customer_counts_in_its_score(self):
        self.env["pi.log.call"].create(
            {"lead_id": self.lead_lan.id, "partner_id": self.customer_lan.id, "summary": "Tư vấn gói 12 tháng",
             "result_id": self.result.id}
        ).action_log()
        self.assertGreaterEqual(self._score_of(self.customer_lan), 40)

    def test_call_on_own_lead_linked_by_a_manager_to_another_customer(self):
        # the manager decided the link: the lead shows that customer, its calls count there
        self.lead_lan.with_user(self.manager).partner_id = self.customer_minh
        interaction = (
            self.env["pi.log.call"]
            .with_user(self.consultant_lan)
            .create({"lead_id": self.lead_lan.id, "partner_id": self.customer_minh.id, "summary": "Gọi lại"})
            .action_log()
        )
        self.assertEqual(interaction.sudo().partner_id, self.customer_minh)


@tagged("post_install", "-at_install", "pi_security")
class TestPiCrmLinkingJsonRpc(HttpCase):
    """The web client's own path: Lan, logged in, sends ``call_kw`` requests that
    link her lead to Minh's customer Tuấn; the server refuses them and copies nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_lan = pi_user(cls.env, "consultant", "rpc_tv_lan")
        consultant_minh = pi_user(cls.env, "consultant", "rpc_tv_minh")
        Partner = cls.env["res.partner"]
        cls.customer_minh = Partner.create(
            {"name": "Hoàng Anh Tuấn", "email": "tuan.rpc@example.vn", "user_id": consultant_minh.id}
        )
        cls.customer_lan = Partner.create(
            {"name": "Lê Văn Hùng", "email": "hung.rpc@example.vn", "user_id": cls.consultant_lan.id}
        )
        cls.lead_lan = cls.env["crm.lead"].create({"name": "Lan's lead", "user_id": cls.consultant_lan.id})

    def _call_kw(self, model, method, args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def test_lead_linked_to_a_colleague_s_customer_over_json_rpc_is_refused(self):
        self.authenticate("rpc_tv_lan", "rpc_tv_lan")
        attempts = {
            "form save": ("web_save", [[self.lead_lan.id], {"partner_id": self.customer_minh.id}],
                          {"specification": {"email_from": {}}}),
            "write": ("write", [[self.lead_lan.id], {"partner_id": self.customer_minh.id}], {}),
            "create": ("create", [{"name": "Khách của Minh", "partner_id": self.customer_minh.id}], {}),
        }
        for name, (method, args, kwargs) in attempts.items():
            with self.subTest(attempt=name):
                with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                    self._call_kw("crm.lead", method, args, **kwargs)
                self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(self.lead_lan.partner_id)
        self.assertFalse(self.lead_lan.email_from, "the colleague's e-mail was not copied")
        self.assertFalse(self.env["crm.lead"].search([("partner_id", "=", self.customer_minh.id)]))

    def test_lead_linked_to_own_customer_over_json_rpc_gets_its_details(self):
        self.authenticate("rpc_tv_lan", "rpc_tv_lan")
        result = self._call_kw(
            "crm.lead", "web_save", [[self.lead_lan.id], {"partner_id": self.customer_lan.id}],
            specification={"email_from": {}},
        )
        self.assertEqual(result[0]["email_from"], "hung.rpc@example.vn")
        self.assertEqual(self.lead_lan.partner_id, self.customer_lan)
