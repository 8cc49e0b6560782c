from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pi_portal_auto_invite = fields.Boolean(
        string="Invite Investors Automatically",
        config_parameter="pi_portal.auto_invite",
        help="When an investor's first contract is activated, give them portal access and send the invitation "
             "email. Otherwise the consultant invites them with the Invite to Portal button of the contract.")
