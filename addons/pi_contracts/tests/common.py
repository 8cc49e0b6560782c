import datetime

from odoo.tests import TransactionCase, new_test_user

PI_GROUPS = {
    "consultant": "pi_crm.group_pi_consultant",
    "manager": "pi_crm.group_pi_manager",
    "admin": "pi_crm.group_pi_admin",
}
# The stock and PI modules whose Vietnamese the tests read.
VIETNAMESE_MODULES = ("mail", "pi_crm", "pi_contracts")


def create_pi_user(env, role, login, name, **values):
    """A PI staff user of ``role`` (consultant, manager, admin), e.g. ``email``, ``company_id``;
    in Vietnamese, as PI's staff work, unless ``lang`` says otherwise."""
    values.setdefault("lang", "vi_VN")
    return new_test_user(env, login=login, name=name, groups=f"base.group_user,{PI_GROUPS[role]}", **values)


def create_investor(env, name, consultant, **values):
    """An investor (a customer partner, reading Vietnamese) whose salesperson is ``consultant``."""
    return env["res.partner"].create({"name": name, "pi_gender": "male", "user_id": consultant.id, "lang": "vi_VN",
                                      **values})


def ensure_vietnamese(env):
    """Vietnamese active with the terms of the modules the tests read, whether
    or not the database was installed with ``--load-language vi_VN``."""
    if env["res.lang"]._get_code("vi_VN"):
        return
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"].search([("name", "in", VIETNAMESE_MODULES)])._update_translations(["vi_VN"])


class PiContractsCommon(TransactionCase):
    """Fixture, built once:

        admin An ── sets the policy (base 6 %) and the fee levels (20 % from 0 đ, 10 % from 1 tỷ)
        manager Hà ── sees every contract
        consultant Lan ── investor Hùng ── contract_lan (draft, 500.000.000 đ, BCC12 from 01/01/2026)
        consultant Minh ── investor Tuấn ── contract_minh (draft, 1.500.000.000 đ)
        product BCC12 (12 months, care plan of 3 calls) with a weekly NAV from 1.0
        (01/01/2026) rising to 1.12 on 01/01/2027
    """

    @classmethod
    def activate_fixture_contracts_only(cls):
        """Activate contract_lan and contract_minh and cancel every other active contract
        (the demo's), for tests that count what the active contracts make."""
        (cls.contract_lan | cls.contract_minh).action_activate()
        cls.env["pi.investment.contract"].search(
            [("id", "not in", (cls.contract_lan | cls.contract_minh).ids), ("state", "=", "active")],
        ).action_cancel()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env)
        cls.consultant_lan = create_pi_user(cls.env, "consultant", "pc_tv_lan", "Nguyễn Thị Lan",
                                            email="lan@pi.example.vn")
        cls.consultant_minh = create_pi_user(cls.env, "consultant", "pc_tv_minh", "Trần Văn Minh",
                                             email="minh@pi.example.vn")
        cls.manager = create_pi_user(cls.env, "manager", "pc_ql_ha", "Phạm Thu Hà", email="ha@pi.example.vn")
        cls.pi_admin = create_pi_user(cls.env, "admin", "pc_qt_an", "Đỗ Văn An", email="an@pi.example.vn")
        cls.policy = cls.env["pi.financial.policy"]._get_policy()
        cls.policy.base_rate = 6.0
        cls.base_rate = cls.policy.base_rate  # what the tests compare to, as the policy has it
        Tier = cls.env["pi.fee.tier"]
        Tier.search([]).active = False
        cls.tier_20 = Tier.create({"name": "Fee 20%", "rate": 20.0, "min_principal": 0})
        cls.tier_10 = Tier.create({"name": "Fee 10%", "rate": 10.0, "min_principal": 1_000_000_000})
        cls.investor_hung = create_investor(
            cls.env, "Lê Văn Hùng", cls.consultant_lan, mobile="+84912345678", email="hung@example.vn",
            pi_id_number="001078012345")
        cls.investor_tuan = create_investor(cls.env, "Hoàng Anh Tuấn", cls.consultant_minh, mobile="+84988123456")
        cls.plan = cls.env["mail.activity.plan"].create({
            "name": "Care", "res_model": "pi.investment.contract",
            "template_ids": [(0, 0, {"summary": f"Call day {day}", "delay_count": day, "delay_unit": "days",
                                     "delay_from": "after_plan_date", "responsible_type": "on_demand",
                                     "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id})
                             for day in (5, 20, 90)],
        })
        cls.product = cls.env["pi.investment.product"].create({
            "name": "BCC test 12 tháng", "code": "TBCC12", "kind": "bcc", "term_months": 12,
            "activity_plan_id": cls.plan.id,
            "contract_template_id": cls.env.ref("pi_contracts.document_template_contract").id,
            "renewal_template_id": cls.env.ref("pi_contracts.document_template_renewal").id,
            "settlement_template_id": cls.env.ref("pi_contracts.document_template_settlement").id,
        })
        cls.start = datetime.date(2026, 1, 1)
        weeks = 53
        cls.env["pi.product.performance"].create([
            {"product_id": cls.product.id, "date": cls.start + datetime.timedelta(weeks=week),
             "nav_index": round(1 + 0.12 * week / (weeks - 1), 6)}
            for week in range(weeks)
        ])
        # 52 weeks after 01/01/2026 is 31/12/2026: the last NAV, 1.12, is on or before 01/01/2027.
        Contract = cls.env["pi.investment.contract"]
        cls.contract_lan = Contract.create({
            "partner_id": cls.investor_hung.id, "product_id": cls.product.id,
            "principal": 500_000_000, "date_start": cls.start})
        cls.contract_minh = Contract.create({
            "partner_id": cls.investor_tuan.id, "product_id": cls.product.id,
            "principal": 1_500_000_000, "date_start": cls.start})

    def vi(self, record):
        return record.with_context(lang="vi_VN")
