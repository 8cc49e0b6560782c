from odoo import fields, models


class PiCustomerTier(models.Model):
    _name = "pi.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    name = fields.Char(string="Tier Name", required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower comes first: order the tiers from the top one.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    perks = fields.Html(translate=True, help="What customers of this tier are entitled to.")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group([("pi_tier_id", "in", self.ids)], ["pi_tier_id"], ["__count"])
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)
