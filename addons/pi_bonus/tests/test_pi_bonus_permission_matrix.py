from odoo.tests import tagged

from odoo.addons.pi_contracts.tests.permission_matrix import N, PermissionMatrixCase, Y

# Who may do what on the models pi_bonus adds: one row per operation on a model,
# one column per role (PermissionMatrixCase explains the operations). Bonus rules
# are the firm's pay policy: managers read them, only a full-rights admin sets them.
#
#   model            operation   cons  other  mgr  admin  inv  pub
MATRIX = [
    ("pi.bonus.rule", "read",     N,    N,     Y,   Y,     N,   N),
    ("pi.bonus.rule", "create",   N,    N,     N,   Y,     N,   N),
    ("pi.bonus.rule", "write",    N,    N,     N,   Y,     N,   N),
    ("pi.bonus.rule", "unlink",   N,    N,     N,   Y,     N,   N),
]


@tagged("pi_bonus")
class TestPiBonusPermissionMatrix(PermissionMatrixCase):
    def _specs(self):
        return {
            "pi.bonus.rule": {
                "record": self.env.ref("pi_bonus.pi_bonus_rule_standard"), "read": ["rate", "min_principal"],
                "write": {"rate": 0.8}, "create": {"name": "Hợp đồng lớn", "rate": 1.0, "min_principal": 5e9}},
        }

    def test_permission_matrix(self):
        self.assertEqual({row[0] for row in MATRIX}, {
            name for name in self.env if self.env[name]._original_module == "pi_bonus"}, "every model has rows")
        self._run_matrix(MATRIX)
