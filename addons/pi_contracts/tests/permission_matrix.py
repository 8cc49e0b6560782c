"""The machinery of the permission matrix tests: a table of (model, operation,
expected per role) rows drives one loop. Each addon's matrix test inherits
``PermissionMatrixCase`` and lists its rows."""
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import PiContractsCommon

Y, N = True, False
P = None  # decided by pi_portal (its own matrix), not checked here
ROLES = ("consultant", "other consultant", "manager", "admin", "investor", "public")


class _Rollback(Exception):
    """Undo an allowed operation: each cell starts from the same data."""


class PermissionMatrixCase(PiContractsCommon):
    """Runs a matrix of (model, operation, expected per role) rows.

    Operations:
        read / create / write / unlink   on the model's record, with the values of ``_specs()``
        write:<group>                    a field group (the ``write_groups`` of ``_run_matrix``)
        call:<method>                    a public method, as a button or an RPC call runs it
                                         (on a record the user creates first, for a wizard)
        ...@<name>                       on the record ``name`` of the spec instead of "record"
    Y: allowed, N: refused (AccessError or UserError), P: another addon's decision.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.investor_user = new_test_user(
            cls.env, login="pc_investor_hung", groups="base.group_portal", partner_id=cls.investor_hung.id,
            name=cls.investor_hung.name, email=cls.investor_hung.email)
        cls.users = dict(zip(ROLES, (cls.consultant_lan, cls.consultant_minh, cls.manager, cls.pi_admin,
                                     cls.investor_user, cls.env.ref("base.public_user")), strict=True))

    def _specs(self):
        """``{model: {"record", "draft", "read", "create", "write"}}``: what each
        operation of a row uses (a record, fields to read, values)."""
        return {}

    def _run_matrix(self, matrix, write_groups=None):
        specs = self._specs()
        for model, operation, *expected in matrix:
            for role, allowed in zip(ROLES, expected, strict=True):
                if allowed is P:
                    continue
                with self.subTest(model=model, operation=operation, role=role):
                    done = self._try(specs[model], self.env[model].with_user(self.users[role]), operation,
                                     write_groups or {})
                    self.assertEqual(done, allowed, f"{role} {'may not' if done else 'may'} {operation} {model}")

    def _try(self, spec, model, operation, write_groups):
        """Whether ``operation`` succeeds for the user of ``model``'s environment."""
        name, _sep, target = operation.partition("@")
        kind, _sep, detail = name.partition(":")
        self.env.cr.clear()
        try:
            with self.env.cr.savepoint():
                record = model.browse(spec[target or "record"].ids) if (target or "record") in spec else None
                if kind == "read":
                    record.read(spec["read"])
                elif kind == "create":
                    model.create(spec["create"])
                elif kind == "write":
                    record.write(self._values(write_groups[detail]) if detail else spec["write"])
                elif kind == "unlink":
                    record.unlink()
                elif kind == "call":
                    record = record if record is not None else model.create(spec["create"])
                    getattr(record, detail)()
                model.env.flush_all()
                raise _Rollback
        except _Rollback:
            return True
        except (AccessError, UserError):
            return False
        finally:
            self.env.cr.clear()

    def _values(self, vals):
        return {field: getattr(self, value).id if isinstance(value, str) and hasattr(self, value) else value
                for field, value in vals.items()}


