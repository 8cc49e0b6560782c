from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class PiBonusRule(models.Model):
    _name = "pi.bonus.rule"
    _description = "Consultant Bonus Rule"
    _inherit = ["mail.thread"]
    _order = "min_principal, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    active = fields.Boolean(default=True, tracking=True)
    min_principal = fields.Monetary(
        string="Minimum Principal",
        currency_field="currency_id",
        tracking=True,
        help="The rule applies to contracts whose principal is at least this amount.",
    )
    rate = fields.Float(
        string="Bonus Rate (%)",
        digits=(5, 2),
        tracking=True,
        help="Share of the contract's principal paid to its consultant, in percent.",
    )
    apply_to_renewals = fields.Boolean(
        string="Renewals Earn a Bonus",
        default=True,
        tracking=True,
        help="When set, a renewal activated under this rule earns its consultant a bonus on its new principal "
        "as a new contract does; otherwise renewals under this rule earn none.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """Bonus lines keep the rule they were computed from: archive it instead."""
        if self.env["pi.bonus.line"].sudo().search_count([("rule_id", "in", self.ids)], limit=1):
            raise UserError(self.env._(
                "Bonuses were computed from this rule: archive it instead of deleting it, so that they keep it."))

    @api.constrains("rate", "min_principal")
    def _check_rate_and_min_principal(self):
        for rule in self:
            if not 0 <= rule.rate <= 100:
                raise ValidationError(self.env._("The bonus rate must be between 0 and 100 percent."))
            if rule.min_principal < 0:
                raise ValidationError(self.env._("The minimum principal cannot be negative."))
