from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PiFeeTier(models.Model):
    """A fee level: PI's share (percent) of the profit above the base rate.

    The level whose minimum principal is the highest one not above a new
    contract's principal is that contract's default level.
    """

    _name = "pi.fee.tier"
    _description = "Fee Level"
    _inherit = ["mail.thread"]
    _order = "min_principal desc, rate, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    rate = fields.Float(string="Fee (%)", digits=(5, 2), required=True, tracking=True,
                        help="Share of the profit above the base rate kept by PI, in percent.")
    min_principal = fields.Monetary(
        string="Minimum Principal", currency_field="currency_id", tracking=True,
        help="A new contract gets by default the level with the highest minimum not above its principal.")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.VND"), required=True)
    active = fields.Boolean(default=True, tracking=True)

    @api.constrains("rate", "min_principal")
    def _check_rate(self):
        for tier in self:
            if not 0 <= tier.rate <= 100:
                raise ValidationError(self.env._("A fee level must be between 0 and 100 %."))
            if tier.min_principal < 0:
                raise ValidationError(self.env._("The minimum principal of a fee level cannot be negative."))

    @api.model
    def _get_default_tier(self, principal):
        """The level a new contract of ``principal`` đồng gets by default."""
        tiers = self.sudo().search([("active", "=", True)])
        eligible = tiers.filtered(lambda tier: tier.min_principal <= (principal or 0))
        return (eligible or tiers.sorted("min_principal"))[:1]
