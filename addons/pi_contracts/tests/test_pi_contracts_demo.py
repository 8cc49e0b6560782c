from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext
from odoo.tools.translate import code_translations

DEMO_CONTRACTS = ("contract_hung_1_demo", "contract_mai_1_demo", "contract_tuan_1_demo", "contract_thao_1_demo",
                  "contract_hung_2_demo", "contract_mai_old_demo")
ENGLISH = ("created", "Investment Contract", "care plan", "assigned to", "due on", "already past", "activities")


@tagged("pi_contracts")
class TestPiContractsDemo(TransactionCase):
    """PI's demo data as its staff see it (the test database is built with the demo data)."""

    def test_demo_contracts_chatter_is_vietnamese_with_vietnamese_dates(self):
        contracts = [self.env.ref(f"pi_contracts.{xmlid}", raise_if_not_found=False) for xmlid in DEMO_CONTRACTS]
        if not all(contracts):
            self.skipTest("demo data not installed")
        if not self.env["res.lang"]._get_data(code="vi_VN").active:
            self.skipTest("vi_VN is not active: the demo chatter is in the language it was loaded in")
        for contract in contracts:
            text = "\n".join(html2plaintext(body) for body in contract.message_ids.mapped("body"))
            with self.subTest(contract=contract.name):
                self.assertIn("Hợp đồng đầu tư được tạo", text)
                for word in ENGLISH:
                    self.assertNotIn(word.lower(), text.lower())
                if not contract.date_activated:
                    continue
                # Launched by stock's plan wizard, in its words.
                started = code_translations.get_python_translations("mail", "vi_VN")[
                    'The plan "%(plan_name)s" has been started']
                self.assertIn(started % {"plan_name": contract.product_id.activity_plan_id.name}, text)
                for template in contract.product_id.activity_plan_id.template_ids:
                    deadline = template._get_date_deadline(contract.date_start)
                    self.assertIn(deadline.strftime("%d/%m/%Y"), text)
                    if deadline.day > 12:  # the US order cannot be the same date
                        self.assertNotIn(deadline.strftime("%m/%d/%Y"), text)
        for product in contracts[0].product_id | contracts[2].product_id:
            text = "\n".join(html2plaintext(body) for body in product.message_ids.mapped("body"))
            with self.subTest(product=product.name):
                self.assertNotIn("created", text)
                self.assertNotIn("Investment Product", text)

    def test_demo_data_is_pis_own(self):
        # Every record the demo of pi_contracts makes belongs to PI's own models and
        # people (no stock demo partner, product or user behind them).
        data = self.env["ir.model.data"].search([("module", "=", "pi_contracts"), ("name", "=like", "%_demo")])
        if not data:
            self.skipTest("demo data not installed")
        models = set(data.mapped("model"))
        # res.partner.bank: PI's own funding account, which the contracts' VietQR codes point to
        self.assertLessEqual(models, {"pi.investment.product", "pi.product.performance", "pi.investment.contract",
                                      "res.partner.bank"})
        funding = self.env.ref("pi_contracts.pi_funding_account_demo")
        self.assertEqual(funding.partner_id, self.env.company.partner_id)
        contracts = self.env["pi.investment.contract"].browse(
            data.filtered(lambda row: row.model == "pi.investment.contract").mapped("res_id"))
        people = {"res.partner": (contracts.partner_id | contracts.user_id.partner_id).ids,
                  "res.users": contracts.user_id.ids}
        stock = self.env["ir.model.data"].search([("module", "not like", "pi_%"), "|",
            "&", ("model", "=", "res.partner"), ("res_id", "in", people["res.partner"]),
            "&", ("model", "=", "res.users"), ("res_id", "in", people["res.users"])])
        self.assertFalse(stock.mapped("complete_name"))

    def test_empty_contract_views_show_no_sample_records(self):
        # Stock sample data fills an empty list with invented records ("Deco Addict" …).
        Contract = self.env["pi.investment.contract"]
        for view_type in ("list", "kanban", "pivot", "graph"):
            with self.subTest(view_type=view_type):
                arch = Contract.get_views([(False, view_type)])["views"][view_type]["arch"]
                self.assertNotIn('sample="1"', arch)
