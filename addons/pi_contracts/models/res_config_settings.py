from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pi_statement_weekday = fields.Selection(
        [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"), ("4", "Friday"),
         ("5", "Saturday"), ("6", "Sunday")],
        string="Weekly statements on", default="0", config_parameter="pi_contracts.statement_weekday",
        help="The day the weekly statements go out, for the 7 days that ended the day before.")
