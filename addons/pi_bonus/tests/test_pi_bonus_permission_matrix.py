from odoo.tests import new_test_user, tagged

from odoo.addons.pi_contracts.tests.common import PiContractsCommon
from odoo.addons.pi_crm.tests.permission_matrix import N, PermissionMatrixMixin, Y

# Who may do what on the models pi_bonus adds: one row per operation on a model,
# one column per role (pi_crm/tests/permission_matrix.py explains the operations).
# Bonus rules are the firm's pay policy: managers read them, only a full-rights
# admin sets them. "investor" is Hùng's portal login.
ROLES = ("consultant", "other consultant", "manager", "admin", "investor", "public")
#
#   model            operation   cons  other  mgr  admin  inv  pub
MATRIX = [
    ("pi.bonus.rule", "read",     N,    N,     Y,   Y,     N,   N),
    ("pi.bonus.rule", "create",   N,    N,     N,   Y,     N,   N),
    ("pi.bonus.rule", "write",    N,    N,     N,   Y,     N,   N),
    ("pi.bonus.rule", "unlink",   N,    N,     N,   Y,     N,   N),
]


@tagged("pi_bonus")
class TestPiBonusPermissionMatrix(PermissionMatrixMixin, PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        investor_user = new_test_user(cls.env, login="pb_investor_hung", groups="base.group_portal",
                                      partner_id=cls.investor_hung.id, name=cls.investor_hung.name)
        cls.users = dict(zip(ROLES, (cls.consultant_lan, cls.consultant_minh, cls.manager, cls.pi_admin,
                                     investor_user, cls.env.ref("base.public_user")), strict=True))

    def _specs(self):
        return {
            "pi.bonus.rule": {
                "record": self.env.ref("pi_bonus.pi_bonus_rule_standard"), "read": ["rate", "min_principal"],
                "write": {"rate": 0.8}, "create": {"name": "Hợp đồng lớn", "rate": 1.0, "min_principal": 5e9}},
        }

    def test_permission_matrix(self):
        self.run_matrix(ROLES, MATRIX)

    def test_every_pi_bonus_model_has_rows(self):
        self.assert_every_model_has_rows("pi_bonus", MATRIX)
