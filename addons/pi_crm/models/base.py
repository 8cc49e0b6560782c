from odoo import api, models
from odoo.exceptions import AccessError


class Base(models.AbstractModel):
    """Write guards PI's models share: links to readable records only, computed
    values never typed. On ``base`` like stock ``phone_validation``'s helpers,
    so each model (and the addons on top of ``pi_crm``) calls them on itself."""

    _inherit = "base"

    @api.model
    def _pi_check_link_access(self, record_ids, allowed=None):
        """Refuse to point a Many2one at records of this model the current user may not read.

        Record rules decide which records a user reads and writes, not which record a
        Many2one they write points at: without this check a consultant could link their
        own lead to a colleague's customer and read back that customer's e-mail, phones
        and address through the lead's computed copies. Superuser code passes.

        :param record_ids: ids about to be linked (falsy ones are ignored)
        :param allowed: records that pass whatever the rules say (e.g. the customer of a
            lead the user may read, which that lead already shows them)
        :raise AccessError: when one of them is not readable by the current user
        """
        if self.env.su:
            return
        records = self.browse({record_id for record_id in record_ids if record_id}) - (allowed or self.browse())
        records = records.exists()  # a wrong id fails on its foreign key, as before
        if records and records._filtered_access("read") != records:
            raise AccessError(
                self.env._(
                    "This record (%(document)s) belongs to another consultant: you can only link records you may "
                    "open yourself. Ask a manager if it should be yours.",
                    document=self.env["ir.model"]._get(self._name).name,
                )
            )

    @api.model
    def _pi_drop_computed_values(self, vals_list, field_names):
        """Remove ``field_names`` from values about to be created: the ORM computes them.

        A stored compute given a value at creation keeps it; a score, a segment or a
        consultation state sent over RPC would stay forged until something changes.
        """
        for vals in vals_list:
            for name in field_names:
                vals.pop(name, None)

    def _pi_check_computed_values(self, vals, field_names):
        """Refuse writing ``field_names``: only the ORM computes them (superuser code passes)."""
        forged = [name for name in field_names if name in vals]
        if forged and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(fields)s: computed from the interactions, contracts and settings, never written by hand.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in forged),
                )
            )
