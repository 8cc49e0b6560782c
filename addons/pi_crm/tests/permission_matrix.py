"""The one permission-matrix harness of the PI addons.

A matrix is a table: one row per operation on a model, one cell per role. A cell is
``Y`` (the user may), ``N`` (the user is refused: an exception of ``matrix_refusals``, or
a search that does not find the record) or ``P`` (another addon's decision, tried there).
A test case mixes ``PermissionMatrixMixin`` in with its own fixtures, sets ``cls.users``
(``{role: user}``), returns from ``_specs()`` what each model's operations use, and
calls ``self.run_matrix(ROLES, MATRIX)``.

A row is ``(model, operation, *cells)``, with ``operation`` one of::

    read[:f1,f2]      read those fields (without them: the spec's "read" list)
    search            search the record by id
    create            create a record with the spec's "create" values
    write[:f1,f2]     write those fields, each with its value from ``_write_values()``, where a
                      name may also stand for a group of fields (a dict); without them: the
                      spec's "write" values
    unlink            delete the record
    call:<method>     call a public method as a button or an RPC client does, on the record or,
                      when the spec has none, on a record created first (a wizard)
    rights:<op>       the model's access rights (ACL) for read/create/write/unlink, alone
    ...@<name>        on the spec's record ``name`` instead of its "record"

The spec of a model is a dict: "record" and any other named records, "read", "create",
"write", and, under an operation's own name, what that operation uses instead of the
default (``"create@company": {...}`` values, ``"call:message_post": {...}`` arguments).
Each cell runs as the role's user in a savepoint rolled back afterwards, so every cell
starts from the same data; a failing cell names the role, the user, the model and the
operation, and why it was refused.
"""

import contextlib

from odoo.exceptions import AccessError, UserError

Y, N = True, False
P = None  # another addon's decision: tried in that addon's own matrix


class _NotFound(Exception):
    """A search that does not find the record: it is refused to the user."""


class PermissionMatrixMixin:
    """Runs permission matrices; mixed in with an Odoo test case and its fixtures."""

    #: what counts as a refusal; a table may narrow it (pi_crm: ``AccessError`` only)
    matrix_refusals = (AccessError, UserError)

    def _specs(self):
        """``{model: spec}``: the records and values each model's operations use."""
        return {}

    def _write_values(self):
        """``{field or group: value or {field: value}}`` for the ``write:<names>`` rows."""
        return {}

    def run_matrix(self, roles, matrix):
        specs = self._specs()
        for row in matrix:
            self.assertEqual(len(row), 2 + len(roles), f"{row[:2]}: one cell per role of {roles}")
            model, operation, *cells = row
            for role, expected in zip(roles, cells, strict=True):
                if expected is P:
                    continue
                user = self.users[role]
                with self.subTest(model=model, operation=operation, role=role):
                    refusal = self._attempt(specs[model], self.env[model].with_user(user), operation)
                    outcome = f"refused: {refusal}" if refusal else "it was done"
                    self.assertEqual(
                        refusal is None, expected,
                        f"{role} ({user.login}) {'may' if expected else 'may not'} {operation} on {model}: {outcome}")

    def assert_every_model_has_rows(self, module, matrix, also=()):
        """Every concrete model ``module`` creates (and the models of ``also``) has rows, and no other."""
        models = {name for name in self.env
                  if self.env[name]._original_module == module and not self.env[name]._abstract}
        self.assertEqual({row[0] for row in matrix}, models | set(also), f"the models of {module} have rows")

    def _attempt(self, spec, model, operation):
        """Run ``operation`` as ``model``'s user, rolled back: None when done, else why it was refused."""
        name, _sep, target = operation.partition("@")
        kind, _sep, detail = name.partition(":")
        record = model.browse(spec[target or "record"].ids) if (target or "record") in spec else None
        # copies: create() and write() overrides may change the dict they are given
        with contextlib.closing(self.env.cr.savepoint()):
            try:
                if kind == "read":
                    record.read(detail.split(",") if detail else spec["read"])
                elif kind == "search":
                    if not model.search([("id", "in", record.ids)]):
                        raise _NotFound("the search does not find the record")
                elif kind == "create":
                    model.create(dict(spec.get(operation, spec.get("create"))))
                elif kind == "write":
                    record.write(self._values_of(detail) if detail else dict(spec["write"]))
                elif kind == "unlink":
                    record.unlink()
                elif kind == "call":
                    record = record if record is not None else model.create(dict(spec["create"]))
                    getattr(record, detail)(**spec.get(operation, {}))
                elif kind == "rights":
                    model.check_access(detail)
                else:
                    raise ValueError(f"unknown operation {operation!r}")
                model.env.flush_all()
            except (*self.matrix_refusals, _NotFound) as error:
                return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        return None

    def _values_of(self, names):
        table = self._write_values()
        values = {}
        for name in names.split(","):
            value = table[name]
            values.update(value if isinstance(value, dict) else {name: value})
        return values
