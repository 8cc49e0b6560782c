"""The bonus actions' write marker. Pure Python: imports nothing from odoo.

Bonus lines and statements are written by their actions only (activation, the
scan tick, cancellation, the admin's correction, the statement run and its
confirmation). Those writes carry ``ACTION_WRITE`` (this very object) in the
context under ``ACTION_WRITE_KEY``: JSON-RPC and XML-RPC can send a context key of
that name, but only with a JSON/XML value, never this object, so ``create``,
``write`` and ``unlink`` recognise the actions' own writes and nothing else, for
every caller, superuser included (as the contracts' and statements' markers).
"""

ACTION_WRITE = object()
ACTION_WRITE_KEY = "pi_bonus_action_write"
LOG_COLUMNS = frozenset({"id", "create_uid", "create_date", "write_uid", "write_date"})


def is_action_write(context):
    return context.get(ACTION_WRITE_KEY) is ACTION_WRITE


def action_context():
    return {ACTION_WRITE_KEY: ACTION_WRITE}


def guarded_fields(fields, module="pi_bonus"):
    """The names of ``fields`` (a model's ``_fields``) that ``module`` defines, and
    the log columns: the actions' alone. Fields other modules add (mail's
    followers, messages...) follow their own rules."""
    return {name for name, field in fields.items() if field._module == module or name in LOG_COLUMNS}
