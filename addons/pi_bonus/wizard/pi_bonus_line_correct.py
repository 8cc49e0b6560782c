from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import clean_context


class PiBonusLineCorrect(models.TransientModel):
    """A full-rights administrator's correction of one bonus amount, with its reason."""

    _name = "pi.bonus.line.correct"
    _description = "Correct a Bonus Amount"

    line_id = fields.Many2one("pi.bonus.line", required=True, ondelete="cascade", readonly=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    amount_current = fields.Monetary(related="line_id.amount", string="Current Amount")
    amount = fields.Monetary(string="Corrected Amount", currency_field="currency_id", required=True)
    reason = fields.Text(required=True, help="Why the amount changes: kept in the bonus line's chatter.")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("pi_crm.group_pi_admin"):
            raise AccessError(self.env._("Only a full-rights administrator may correct a bonus."))
        wizards = super().create(vals_list)
        wizards.line_id.check_access("read")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        # without the wizard's default_* keys, which would otherwise reach the chatter message
        self.line_id.with_context(clean_context(self.env.context))._pi_correct(self.amount, self.reason)
        return {"type": "ir.actions.act_window_close"}
