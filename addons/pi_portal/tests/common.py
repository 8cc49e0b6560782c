import datetime

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user

from odoo.addons.pi_contracts.tools import statement_engine

STAFF_GROUPS = "base.group_user,pi_crm.group_pi_"
# PI's roles, as the groups of the "Passion Investment" category.
ROLES = ("consultant", "manager", "admin")
PI_ADDONS = ("pi_crm", "pi_contracts", "pi_portal", "pi_bonus")


def ensure_vietnamese(env, modules=PI_ADDONS):
    """Vietnamese active, whether or not the database was installed with
    ``--load-language=vi_VN``: when it was not, activate it and load the
    Vietnamese of the installed ``modules`` (all installed modules for None).

    The investors read the portal in Vietnamese and the tests check that; the
    activation is part of the test's transaction, rolled back with it.
    """
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "vi_VN")])
    if lang.active:
        return
    lang.active = True
    domain = [("state", "=", "installed")] + ([("name", "in", list(modules))] if modules is not None else [])
    env["ir.module.module"]._load_module_terms(env["ir.module.module"].search(domain).mapped("name"), ["vi_VN"])


def new_staff(env, login, role, name=None, email=None, extra_groups=""):
    """A PI staff user of ``role`` (one of ``ROLES``), with ``extra_groups`` (comma-separated xml ids)."""
    if role not in ROLES:
        raise ValueError(f"unknown PI role {role!r}")
    groups = STAFF_GROUPS + role + (f",{extra_groups}" if extra_groups else "")
    return new_test_user(env, login=login, name=name or login, email=email or f"{login}@pi.example.vn",
                         groups=groups)


def new_investor(env, name, consultant=None, login=None, **values):
    """An investor (``res.partner``) looked after by ``consultant``, in Vietnamese;
    with a portal user of that login (password = login) when ``login`` is given.

    :return: ``(partner, portal user or empty recordset)``
    """
    ensure_vietnamese(env)
    partner = env["res.partner"].create(dict(
        {"name": name, "lang": "vi_VN", "user_id": consultant.id if consultant else False}, **values))
    user = env["res.users"]
    if login:
        user = new_test_user(env, login=login, password=login, groups="base.group_portal", name=name,
                             partner_id=partner.id, lang="vi_VN", email=partner.email)
    return partner, user


class PiPortalCommon(TransactionCase):
    """Fixture, built once:

        consultant Lan ── investor A Hùng (portal user pp_hung) ── contract_a (active, 1.500.000.000 đ,
                          since 01/01/2026, one statement with a PDF sent to him), draft_a (draft)
        consultant Minh ── investor B Tuấn (portal user pp_tuan) ── contract_b (active, 800.000.000 đ,
                           with a settlement-style document and a statement of his own)
        manager Hà ── sees every contract and request; full-rights administrator An
        product TPP12 with a weekly NAV from 1.0 (01/01/2026) to 1.12 a year later

    Tests that make HTTP calls use ``PiPortalHttpCommon``, the same fixture on the test server.
    """

    # Whose Vietnamese the tests read when the database has none yet (None: every installed module's).
    vietnamese_modules = PI_ADDONS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env, cls.vietnamese_modules)
        cls.consultant_lan = new_staff(cls.env, "pp_tv_lan", "consultant", "Nguyễn Thị Lan", "lan@pi.example.vn")
        cls.consultant_minh = new_staff(cls.env, "pp_tv_minh", "consultant", "Trần Văn Minh", "minh@pi.example.vn")
        cls.manager = new_staff(cls.env, "pp_ql_ha", "manager", "Phạm Thu Hà", "ha@pi.example.vn")
        cls.pi_admin = new_staff(cls.env, "pp_qt_an", "admin", "Đỗ Văn An", "an@pi.example.vn")
        cls.investor_a, cls.user_a = new_investor(
            cls.env, "Lê Văn Hùng", cls.consultant_lan, login="pp_hung", pi_gender="male", mobile="+84912000111",
            email="pp_hung@example.vn")
        cls.investor_b, cls.user_b = new_investor(
            cls.env, "Hoàng Anh Tuấn", cls.consultant_minh, login="pp_tuan", pi_gender="male",
            mobile="+84988000222", email="pp_tuan@example.vn")
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
        cls.contract_a = cls.new_contract(cls.investor_a, cls.consultant_lan, 1_500_000_000, activate=False)
        cls.draft_a = cls.new_contract(cls.investor_a, cls.consultant_lan, 200_000_000, activate=False)
        cls.contract_b = cls.new_contract(cls.investor_b, cls.consultant_minh, 800_000_000, activate=False)
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
    def new_contract(cls, partner, consultant, principal, activate=True, **values):
        """A contract of ``partner`` on the fixture's product from 01/01/2026, active unless ``activate``
        is False; without ``consultant``, the contract's default one."""
        vals = {"partner_id": partner.id, "product_id": cls.product.id, "principal": principal, "date_start": cls.start}
        if consultant:
            vals["user_id"] = consultant.id
        contract = cls.env["pi.investment.contract"].create(dict(vals, **values))
        if activate:
            contract.action_activate()
        return contract

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

    @classmethod
    def new_statement(cls, partner, contracts, date_to, period="weekly", state="sent", pdf=True):
        """A statement of ``partner`` for the period ending on ``date_to`` (its run found or
        made), one line per contract of ``contracts`` valued with ``compute_payout``, in
        ``state``, with a small PDF attachment unless ``pdf`` is False.

        Made directly with the engine's marker, as the statement engine leaves them:
        the portal needs no engine run.
        """
        engine = statement_engine.engine_context()
        date_from = date_to - (datetime.timedelta(days=6) if period == "weekly" else datetime.timedelta(days=91))
        Run = cls.env["pi.statement.run"].sudo()
        run = Run.search([("period", "=", period), ("date_to", "=", date_to)], limit=1) or Run.create(
            {"name": f"Sao kê {date_to}", "period": period, "date_from": date_from, "date_to": date_to})
        lines = []
        for contract in contracts:
            end, start = contract.compute_payout(date_to), contract.compute_payout(date_from)
            lines.append(Command.create({
                "contract_id": contract.id, "principal": contract.principal, "value": end["payout"],
                "profit_to_date": end["investor_profit"],
                "profit_period": end["investor_profit"] - start["investor_profit"],
                "nav_start": 1.0, "nav_end": 1.1, "days_to_maturity": (contract.date_end - date_to).days}))
        statement = cls.env["pi.investment.statement"].sudo().with_context(**engine).create({
            "name": f"{partner.name} {date_to}", "run_id": run.id, "partner_id": partner.commercial_partner_id.id,
            "line_ids": lines})
        values = {"state": state}
        if pdf:
            values["attachment_id"] = cls.env["ir.attachment"].sudo().create({
                "name": f"sao-ke-{statement.id}.pdf", "res_model": statement._name, "res_id": statement.id,
                "raw": b"%PDF-1.4 statement " + str(statement.id).encode()}).id
        statement.with_context(**engine).write(values)
        return statement


class PiPortalHttpCommon(PiPortalCommon, HttpCase):
    """The same fixture, for tests that call the portal over HTTP."""

    def csrf_from(self, url):
        """The CSRF token of a form on ``url`` (as the logged-in visitor)."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start:response.text.index('"', start)]
