from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pi_statement_weekday = fields.Selection(
        [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"), ("4", "Friday"),
         ("5", "Saturday"), ("6", "Sunday")],
        string="Weekly statements on", default="0", config_parameter="pi_contracts.statement_weekday",
        help="The day the weekly statements go out, for the 7 days that ended the day before.")
    pi_activation_requires_id = fields.Boolean(
        string="ID required to activate", config_parameter="pi_contracts.activation_requires_id",
        help="A contract is activated only when its investor's citizen ID (CCCD) or passport number is recorded.")
    pi_company_partner_id = fields.Many2one(related="company_id.partner_id", string="Company Partner")
    pi_funding_account_id = fields.Many2one(
        related="company_id.pi_funding_account_id", readonly=False,
        help="The account investors transfer their principal to: the contracts' VietQR codes point to it.")
