"""The statement engine's write marker. Pure Python: imports nothing from odoo.

Statements, their lines and the runs' states are written by the engine only. Its
writes carry ``ENGINE_WRITE`` (this very object) in the context under
``ENGINE_WRITE_KEY``: JSON-RPC and XML-RPC can send a context key of that name,
but only with a JSON/XML value, never this object, so ``write`` recognises the
engine's own writes and nothing else (as the contracts' ``_ACTION_WRITE``).
"""

ENGINE_WRITE = object()
ENGINE_WRITE_KEY = "pi_statement_engine_write"
LOG_COLUMNS = frozenset({"id", "create_uid", "create_date", "write_uid", "write_date"})


def is_engine_write(context):
    return context.get(ENGINE_WRITE_KEY) is ENGINE_WRITE


def engine_context():
    return {ENGINE_WRITE_KEY: ENGINE_WRITE}


def engine_fields(fields, module="pi_contracts"):
    """The names of ``fields`` (a model's ``_fields``) that ``module`` defines, and
    the log columns: the engine's alone. Fields other modules add (a portal
    token...) follow their own rules."""
    return {name for name, field in fields.items() if field._module == module or name in LOG_COLUMNS}
