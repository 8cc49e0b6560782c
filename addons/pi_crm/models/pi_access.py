"""Access checks shared by PI's models (no model of its own)."""

from odoo.exceptions import AccessError

# Fields PI adds for its own staff: ratings, rankings, classification, duplicates.
# A portal user reading their own partner must not get them.
STAFF_ONLY = "base.group_user"


def check_link_access(env, model_name, record_ids, allowed=None):
    """Refuse to point a Many2one at records of ``model_name`` the current user may not read.

    Record rules decide which records a user reads and writes, not which record a
    Many2one they write points at: without this check a consultant could link their
    own lead to a colleague's customer and read back that customer's e-mail, phones
    and address through the lead's computed copies. Superuser code passes.

    :param record_ids: ids about to be linked (falsy ones are ignored)
    :param allowed: records that pass whatever the rules say (e.g. the customer of a
        lead the user may read, which that lead already shows them)
    :raise AccessError: when one of them is not readable by the current user
    """
    if env.su:
        return
    Model = env[model_name]
    records = Model.browse({record_id for record_id in record_ids if record_id}) - (allowed or Model)
    records = records.exists()  # a wrong id fails on its foreign key, as before
    if records and records._filtered_access("read") != records:
        raise AccessError(
            env._(
                "This record (%(document)s) belongs to another consultant: you can only link records you may "
                "open yourself. Ask a manager if it should be yours.",
                document=env["ir.model"]._get(model_name).name,
            )
        )


def drop_computed_values(vals_list, field_names):
    """Remove ``field_names`` from values about to be created: the ORM computes them.

    A stored compute given a value at creation keeps it; a score, a segment or a
    consultation state sent over RPC would stay forged until something changes.
    """
    for vals in vals_list:
        for name in field_names:
            vals.pop(name, None)


def check_computed_values(records, vals, field_names):
    """Refuse writing ``field_names``: only the ORM computes them (superuser code passes)."""
    forged = [name for name in field_names if name in vals]
    if forged and not records.env.su:
        raise AccessError(
            records.env._(
                "%(fields)s: computed from the interactions, contracts and settings, never written by hand.",
                fields=", ".join(records._fields[name]._description_string(records.env) for name in forged),
            )
        )
