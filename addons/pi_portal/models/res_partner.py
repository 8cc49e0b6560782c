from odoo import models


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
