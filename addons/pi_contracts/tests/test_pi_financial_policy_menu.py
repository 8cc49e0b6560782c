from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PiContractsCommon


@tagged("pi_contracts")
class TestFinancialPolicyMenu(PiContractsCommon):
    """Cấu hình › Chính sách tài chính runs a server action, as the web client
    does (``/web/action/run``): managers read the policy there, only full-rights
    administrators change it, consultants do not open it."""

    def _run_menu_action(self, user):
        return self.env.ref("pi_contracts.pi_financial_policy_action").with_user(user).run()

    def test_manager_opens_the_policy_and_cannot_change_it(self):
        action = self._run_menu_action(self.manager)
        self.assertEqual((action["res_model"], action["res_id"]), ("pi.financial.policy", self.policy.id))
        with self.assertRaises(AccessError):
            self.env["pi.financial.policy"].with_user(self.manager).browse(action["res_id"]).write({"base_rate": 9.0})

    def test_admin_opens_the_policy(self):
        self.assertEqual(self._run_menu_action(self.pi_admin)["res_id"], self.policy.id)

    def test_consultant_cannot_open_the_policy(self):
        with self.assertRaises(AccessError):
            self._run_menu_action(self.consultant_lan)
