from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _pi_is_internal_partner(self):
        """Whether this partner is a PI user's (active or archived) or a company's
        own partner: their details never change through the investor portal
        (so a staff member's login email cannot be taken over through a portal
        request), and they never get a portal login.

        Superuser for this read-only look at users and companies, which not
        every staff member may read.
        """
        self.ensure_one()
        partner = self.sudo().with_context(active_test=False)
        return bool(partner.user_ids.filtered(lambda user: not user.share)
                    or partner.env["res.company"].search_count([("partner_id", "=", partner.id)], limit=1))

    def _pi_portal_set_statement_preferences(self, channel, frequency):
        """The investor's choice from the portal: how (``channel``) and how often
        (``frequency``) PI sends them statements, written on this commercial
        partner and nothing else.

        Superuser for the write (investors never write partners), after the
        controller checked this is the visitor's own commercial partner, and
        only these two fields, each one of its list's values.

        :raise UserError: a value that is not one of the lists' (a forged form)
        """
        self.ensure_one()
        choices = {}
        for name, value in (("pi_statement_channel", channel), ("pi_statement_frequency", frequency)):
            allowed = dict(self._fields[name]._description_selection(self.env))
            if not isinstance(value, str) or value not in allowed:
                raise UserError(self.env._(
                    "Please choose how you would like to receive your statements from the lists shown."))
            choices[name] = value
        self.sudo().write(choices)
