import datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .kpi_common import PiKpiCommon


@tagged("pi_bonus", "pi_kpi")
class TestPiDashboard(PiKpiCommon):
    """Issue 17 point 4: the manager's dashboard and the consultant's home, one RPC each,
    counted with the caller's rights; each number opens the list it counts."""

    def _cards(self, user, mode):
        # as over RPC: the user's rights and language
        data = self.env["pi.kpi.dashboard"].with_user(user).with_context(lang=user.lang).get_dashboard_data(mode)
        return data, {card["key"]: card for card in data["cards"]}

    def _opened(self, user, card):
        """What the card's list shows to ``user``: the count of its domain, as the list would search it."""
        action = card["action"]
        return self.env[action["res_model"]].with_user(user).search_count(action["domain"])

    def test_manager_dashboard(self):
        data, cards = self._cards(self.manager, "manager")
        self.assertEqual(data["title"], "Bảng điều khiển quản lý")
        self.assertEqual(set(cards), {"customers_active", "customers_stopped", "customers_potential", "leads_new",
                                      "contracts_expiring", "principal_month", "tasks_overdue"})
        Contract = self.env["pi.investment.contract"]
        self.assertIn(self.contract_binh, Contract.search(cards["contracts_expiring"]["action"]["domain"]))
        self.assertEqual(cards["leads_new"]["value"],
                         self.env["crm.lead"].sudo().search_count([("pi_consult_state", "=", "new")]))
        self.assertEqual(cards["customers_active"]["value"],
                         self.env["res.partner"].sudo().search_count([("pi_segment", "in", ("member", "loyal"))]))
        for card in cards.values():
            if card["key"] != "principal_month":
                self.assertEqual(card["value"], self._opened(self.manager, card), card["key"])
        self.assertEqual(cards["contracts_expiring"]["label"], "Hợp đồng hết hạn trong 30 ngày")
        names = [row["name"] for row in data["kpi"]["rows"]]
        self.assertEqual(names, sorted(names))

    def test_manager_dashboard_kpi_table_of_the_month(self):
        today = datetime.date.today()
        self.env["pi.kpi.target"].create({"user_id": self.consultant_minh.id, "month": today,
                                          "target_principal": 4_000_000_000})
        data, cards = self._cards(self.manager, "manager")
        [minh] = [row for row in data["kpi"]["rows"] if row["user_id"] == self.consultant_minh.id]
        self.assertIn("4.000.000.000", minh["cells"][5])
        self.assertEqual(minh["action"]["res_model"], "pi.kpi.report")
        self.assertIn(("user_id", "=", self.consultant_minh.id), [tuple(term) for term in minh["action"]["domain"]])
        self.assertGreaterEqual(cards["principal_month"]["target"], 4_000_000_000)

    def test_consultant_home_counts_only_their_own(self):
        data, cards = self._cards(self.consultant_lan, "consultant")
        self.assertEqual(data["title"], "Trang của tôi")
        self.assertEqual(cards["my_queue"]["value"], 1, "lead_c: Lan's only lead not consulted yet")
        self.assertEqual(cards["my_expiring"]["value"], 0, "Bình's expiring contract is not Lan's")
        _data, binh_cards = self._cards(self.consultant_binh, "consultant")
        self.assertEqual(binh_cards["my_expiring"]["value"], 1)
        for card in cards.values():
            if card["key"] not in ("principal_month", "my_bonus"):
                self.assertEqual(card["value"], self._opened(self.consultant_lan, card), card["key"])
        self.assertEqual({row["user_id"] for row in data["kpi"]["rows"]} - {self.consultant_lan.id}, set())
        # this month's activations: Lan's 600.000.000 đ at 0,5 % and Minh's 1.000.000.000 đ at 0,8 %
        Contract = self.env["pi.investment.contract"]
        Contract.create([
            {"partner_id": self.contract_lan.partner_id.id, "product_id": self.product.id, "principal": 600_000_000,
             "date_start": datetime.date.today()},
            {"partner_id": self.contract_minh.partner_id.id, "product_id": self.product.id,
             "principal": 1_000_000_000, "date_start": datetime.date.today()},
        ]).action_activate()
        _data, cards = self._cards(self.consultant_lan, "consultant")
        lines = self.env["pi.bonus.line"].sudo().search(cards["my_bonus"]["action"]["domain"])
        self.assertEqual(lines.user_id, self.consultant_lan)
        self.assertEqual(cards["my_bonus"]["value"], sum(lines.mapped("amount")))
        self.assertIn("3.000.000", cards["my_bonus"]["display"])

    def test_refusals(self):
        with self.assertRaises(AccessError):
            self.env["pi.kpi.dashboard"].with_user(self.consultant_lan).get_dashboard_data("manager")
        portal = new_test_user(self.env, login="pk_portal_dash", groups="base.group_portal")
        for user in (portal, self.env.ref("base.public_user")):
            for mode in ("manager", "consultant"):
                with self.subTest(user=user.login, mode=mode), self.assertRaises(AccessError):
                    self.env["pi.kpi.dashboard"].with_user(user).get_dashboard_data(mode)

    def test_actions_exist(self):
        for xmlid in ("pi_bonus.action_pi_manager_dashboard", "pi_bonus.action_pi_consultant_home"):
            action = self.env.ref(xmlid)
            self.assertEqual(action.tag, "pi_bonus.dashboard")
