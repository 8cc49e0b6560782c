from odoo.tests import HttpCase, TransactionCase, tagged

from .common import pi_user


@tagged("pi_crm")
class TestPiPartnerListColumns(TransactionCase):
    def test_former_customers_list_has_one_salesperson_column(self):
        action = self.env.ref("pi_crm.pi_former_customer_action")
        consultant = pi_user(self.env, "consultant", "rv_tv_lan")
        views = self.env[action.res_model].with_user(consultant).get_views([(False, "list")])
        arch = views["views"]["list"]["arch"]
        self.assertEqual(arch.count('name="user_id"'), 1, arch)


@tagged("post_install", "-at_install", "pi_crm")
class TestPiSessionCurrency(HttpCase):
    def test_session_gives_each_company_its_currency(self):
        # The web client totals amounts that come without a currency (pivot cells,
        # grouped lists) in the company's: pi_crm's number_format.js reads it here.
        user = pi_user(self.env, "manager", "rv_ql_ha")
        self.authenticate(user.login, user.login)
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        companies = info["user_companies"]["allowed_companies"]
        self.assertEqual(companies[str(user.company_id.id)]["currency_id"], user.company_id.currency_id.id)
