import datetime

from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.pi_contracts import _post_init_hook

from .common import create_investor, create_pi_user, ensure_vietnamese

CONTRACTS = "/odoo/action-pi_contracts.pi_investment_contract_action"
LEADS_NOT_CONSULTED = "/odoo/action-pi_crm.pi_lead_new_report_action"


@tagged("pi_contracts")
class TestPiCompanyCurrency(TransactionCase):
    def test_install_makes_the_main_company_count_in_dong(self):
        company, vnd = self.env.ref("base.main_company"), self.env.ref("base.VND")
        company.currency_id = self.env.ref("base.USD")
        _post_init_hook(self.env)
        self.assertEqual(company.currency_id, vnd)
        self.assertTrue(vnd.active)
        self.assertEqual(vnd.decimal_places, 0)


@tagged("post_install", "-at_install", "pi_contracts")
class TestPiReportNumbers(HttpCase):
    """PI's pivots and graphs in a browser, as a Vietnamese manager reads them:
    amounts in whole đồng ("3.100.000.000", not "3.100.000.000,00") and axes
    without zero decimals ("18", "800M", not "18,00", "800,00M")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _post_init_hook(cls.env)  # the company counts in đồng, as after an install
        ensure_vietnamese(cls.env)
        cls.manager = create_pi_user(cls.env, "manager", "nf_ql_ha", "Phạm Thu Hà", lang="vi_VN")
        product = cls.env["pi.investment.product"].create({
            "name": "BCC 12 tháng", "code": "NF12", "kind": "bcc", "term_months": 12})
        investor = create_investor(cls.env, "Lê Văn Hùng", cls.manager, mobile="+84912345678")
        cls.env["pi.investment.contract"].create([
            {"partner_id": investor.id, "product_id": product.id, "principal": principal,
             "date_start": datetime.date(2026, 1, 5)}
            for principal in (1_500_000_000, 1_600_000_000)])
        cls.env["crm.lead"].create([{"name": f"KH mới {index}", "phone": f"+8490000000{index}",
                                     "user_id": cls.manager.id} for index in range(3)])

    def test_contract_pivot_shows_whole_dong(self):
        self.start_tour(f"{CONTRACTS}?view_type=pivot", "pi_pivot_whole_amounts", login=self.manager.login)

    def test_contract_graph_axis_has_no_zero_decimals(self):
        self.start_tour(f"{CONTRACTS}?view_type=graph", "pi_graph_round_ticks", login=self.manager.login)

    def test_lead_count_graph_axis_has_no_zero_decimals(self):
        self.start_tour(LEADS_NOT_CONSULTED, "pi_graph_round_ticks", login=self.manager.login)
