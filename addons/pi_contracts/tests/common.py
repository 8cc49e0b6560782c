import datetime

from odoo.tests import TransactionCase, new_test_user


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
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,pi_crm.group_pi_"
        cls.consultant_lan = new_test_user(cls.env, login="pc_tv_lan", name="Nguyễn Thị Lan",
                                           email="lan@pi.example.vn", groups=groups + "consultant")
        cls.consultant_minh = new_test_user(cls.env, login="pc_tv_minh", name="Trần Văn Minh",
                                            email="minh@pi.example.vn", groups=groups + "consultant")
        cls.manager = new_test_user(cls.env, login="pc_ql_ha", name="Phạm Thu Hà",
                                    email="ha@pi.example.vn", groups=groups + "manager")
        cls.pi_admin = new_test_user(cls.env, login="pc_qt_an", name="Đỗ Văn An",
                                     email="an@pi.example.vn", groups=groups + "admin")
        cls.policy = cls.env["pi.financial.policy"]._get_policy()
        cls.policy.base_rate = 6.0
        Tier = cls.env["pi.fee.tier"]
        Tier.search([]).active = False
        cls.tier_20 = Tier.create({"name": "Fee 20%", "rate": 20.0, "min_principal": 0})
        cls.tier_10 = Tier.create({"name": "Fee 10%", "rate": 10.0, "min_principal": 1_000_000_000})
        Partner = cls.env["res.partner"]
        cls.investor_hung = Partner.create({
            "name": "Lê Văn Hùng", "pi_gender": "male", "mobile": "+84912345678", "email": "hung@example.vn",
            "user_id": cls.consultant_lan.id, "lang": "vi_VN", "pi_id_number": "001078012345"})
        cls.investor_tuan = Partner.create({
            "name": "Hoàng Anh Tuấn", "pi_gender": "male", "mobile": "+84988123456",
            "user_id": cls.consultant_minh.id})
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
