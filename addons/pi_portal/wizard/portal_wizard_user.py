from odoo import models


class PortalWizardUser(models.TransientModel):
    """The stock portal wizard (contacts › Action › Grant portal access) creates,
    archives and invites portal users as superuser, for whatever partner its
    line points at: a user with "Contact Creation" could give a colleague's
    investor, or the company's own partner, a portal login, revoke an
    investor's access or mail them new invitations.

    Each action first checks, as the calling user, that they may change the
    partner, and (for a grant or a new invitation) that the partner is one PI
    invites: never a PI user's or a company's partner. Superuser code (PI's own
    invitation from a contract, which checked the same) passes.
    """

    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        self._pi_check_portal_change(invite=True)
        return super().action_grant_access()

    def action_invite_again(self):
        self._pi_check_portal_change(invite=True)
        return super().action_invite_again()

    def action_revoke_access(self):
        # revoking a login given by mistake (a staff or company partner) stays possible
        self._pi_check_portal_change(invite=False)
        return super().action_revoke_access()

    def _pi_check_portal_change(self, invite):
        """Refuse the portal action unless the current user may write the line's partner
        and, when ``invite``, the partner and its company may get a portal login.

        :raise AccessError: the user may not change that partner
        :raise UserError: a PI user's or a company's partner
        """
        if self.env.su:
            return
        for line in self:
            partner = line.partner_id
            partner.check_access("write")
            if invite:
                Contract = self.env["pi.investment.contract"]
                for invitee in partner | partner.commercial_partner_id:
                    Contract._check_portal_invitee(invitee)
