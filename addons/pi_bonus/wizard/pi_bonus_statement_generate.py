from odoo import fields, models
from odoo.exceptions import AccessError

from ..tools import bonus_amount


class PiBonusStatementGenerate(models.TransientModel):
    """A manager makes the month's bonus statements now, without waiting for the monthly job."""

    _name = "pi.bonus.statement.generate"
    _description = "Make Monthly Bonus Statements"

    date_month = fields.Date(
        string="Month", required=True,
        default=lambda self: bonus_amount.previous_month_start(fields.Date.context_today(self)),
        help="Any day of the month: the statements cover the whole month.")

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager may make bonus statements."))
        month = bonus_amount.month_start(self.date_month)
        self.env["pi.bonus.statement"]._pi_generate(month)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monthly Bonus Statements"),
            "res_model": "pi.bonus.statement",
            "view_mode": "list,form",
            "domain": [("date_month", "=", month)],
        }
