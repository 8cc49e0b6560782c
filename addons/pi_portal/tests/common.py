import datetime

from odoo.tests import HttpCase, new_test_user


class PiPortalCommon(HttpCase):
    """Fixture, built once:

        consultant Lan ── investor A Hùng (portal user pp_hung) ── contract_a (active, 1.500.000.000 đ,
                          since 01/01/2026, one statement with a PDF sent to him), draft_a (draft)
        consultant Minh ── investor B Tuấn (portal user pp_tuan) ── contract_b (active, 800.000.000 đ,
                           with a settlement-style document and a statement of his own)
        manager Hà ── sees every contract and request; full-rights administrator An
        product TPP12 with a weekly NAV from 1.0 (01/01/2026) to 1.12 a year later
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_vietnamese()
        groups = "base.group_user,pi_crm.group_pi_"
        cls.consultant_lan = new_test_user(cls.env, login="pp_tv_lan", name="Nguyễn Thị Lan",
                                           email="lan@pi.example.vn", groups=groups + "consultant")
        cls.consultant_minh = new_test_user(cls.env, login="pp_tv_minh", name="Trần Văn Minh",
                                            email="minh@pi.example.vn", groups=groups + "consultant")
        cls.manager = new_test_user(cls.env, login="pp_ql_ha", name="Phạm Thu Hà",
                                    email="ha@pi.example.vn", groups=groups + "manager")
        cls.pi_admin = new_test_user(cls.env, login="pp_qt_an", name="Đỗ Văn An",
                                     email="an@pi.example.vn", groups=groups + "admin")
        Partner = cls.env["res.partner"]
        cls.investor_a = Partner.create({
            "name": "Lê Văn Hùng", "pi_gender": "male", "mobile": "+84912000111", "email": "pp_hung@example.vn",
            "user_id": cls.consultant_lan.id, "lang": "vi_VN"})
        cls.investor_b = Partner.create({
            "name": "Hoàng Anh Tuấn", "pi_gender": "male", "mobile": "+84988000222", "email": "pp_tuan@example.vn",
            "user_id": cls.consultant_minh.id, "lang": "vi_VN"})
        cls.user_a = new_test_user(cls.env, login="pp_hung", password="pp_hung", groups="base.group_portal", name="Lê Văn Hùng",
                                   partner_id=cls.investor_a.id, lang="vi_VN",
                                   email="pp_hung@example.vn")
        cls.user_b = new_test_user(cls.env, login="pp_tuan", password="pp_tuan", groups="base.group_portal", name="Hoàng Anh Tuấn",
                                   partner_id=cls.investor_b.id, lang="vi_VN",
                                   email="pp_tuan@example.vn")
        cls.product = cls.env["pi.investment.product"].create({
            "name": "BCC cổng 12 tháng", "code": "TPP12", "kind": "bcc", "term_months": 12,
            "contract_template_id": cls.env.ref("pi_contracts.document_template_contract").id,
            "settlement_template_id": cls.env.ref("pi_contracts.document_template_settlement").id,
            "renewal_template_id": cls.env.ref("pi_contracts.document_template_renewal").id,
        })
        cls.start = datetime.date(2026, 1, 1)
        cls.env["pi.product.performance"].create([
            {"product_id": cls.product.id, "date": cls.start + datetime.timedelta(weeks=week),
             "nav_index": round(1 + 0.12 * week / 52, 6)}
            for week in range(53)
        ])
        Contract = cls.env["pi.investment.contract"]
        cls.contract_a = Contract.create({
            "partner_id": cls.investor_a.id, "product_id": cls.product.id, "user_id": cls.consultant_lan.id,
            "principal": 1_500_000_000, "date_start": cls.start})
        cls.draft_a = Contract.create({
            "partner_id": cls.investor_a.id, "product_id": cls.product.id, "user_id": cls.consultant_lan.id,
            "principal": 200_000_000, "date_start": cls.start})
        cls.contract_b = Contract.create({
            "partner_id": cls.investor_b.id, "product_id": cls.product.id, "user_id": cls.consultant_minh.id,
            "principal": 800_000_000, "date_start": cls.start})
        (cls.contract_a | cls.contract_b).action_activate()
        cls.statement_a = cls._send_statement(cls.contract_a, "sao-ke-a.pdf")
        cls.statement_b = cls._send_statement(cls.contract_b, "sao-ke-b.pdf")
        cls.document_b = cls.contract_b._attach_document(
            cls.env.ref("pi_contracts.document_template_settlement"))
        # An internal note with a file, never shown to the investor.
        cls.internal_a = cls.contract_a.message_post(
            body="Ghi chú nội bộ", attachments=[("noi-bo.pdf", b"%PDF-1.4 internal")],
            subtype_xmlid="mail.mt_note").attachment_ids

    @classmethod
    def _ensure_vietnamese(cls):
        """The investors read the portal in Vietnamese, and the tests check it,
        whether or not the database was installed with ``--load-language=vi_VN``:
        activate it and load this addon's translations when it was not."""
        lang = cls.env["res.lang"].with_context(active_test=False).search([("code", "=", "vi_VN")])
        if not lang.active:
            lang.active = True
            cls.env["ir.module.module"]._load_module_terms(["pi_portal"], ["vi_VN"])

    @classmethod
    def portal_create(cls, user, kind, contract=None, **values):
        """A request sent by the portal user ``user``, as the portal controller sends it."""
        return cls.env["pi.portal.request"].with_user(user)._portal_create(
            user.partner_id, kind, contract and contract.with_user(user).sudo(), **values)

    @classmethod
    def _send_statement(cls, contract, filename):
        message = contract.message_post(
            subject=f"Sao kê {contract.name}", body="Sao kê tuần", message_type="comment",
            subtype_xmlid="mail.mt_comment", partner_ids=contract.partner_id.ids,
            attachments=[(filename, b"%PDF-1.4 statement " + filename.encode())])
        return message.attachment_ids

    def csrf_from(self, url):
        """The CSRF token of a form on ``url`` (as the logged-in visitor)."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start:response.text.index('"', start)]
