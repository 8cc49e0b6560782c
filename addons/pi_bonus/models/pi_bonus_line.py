from odoo import fields, models


class PiBonusLine(models.Model):
    """A consultant's bonus on one contract: provisional at activation, official
    once the signed original is scanned, cancelled with the contract."""

    _name = "pi.bonus.line"
    _description = "Consultant Bonus Line"
    _inherit = ["mail.thread"]
    _order = "date_provisional desc, id desc"

    contract_id = fields.Many2one("pi.investment.contract", required=True, index=True, ondelete="restrict",
                                  readonly=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, string="Investor")
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, readonly=True,
                              help="The contract's consultant when it was activated: the bonus stays theirs.")
    rule_id = fields.Many2one("pi.bonus.rule", readonly=True, ondelete="restrict")
    is_renewal = fields.Boolean(readonly=True)
    principal = fields.Monetary(currency_field="currency_id", readonly=True)
    rate = fields.Float(string="Bonus Rate (%)", digits=(5, 2), readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True, tracking=True)
    state = fields.Selection(
        [("provisional", "Provisional"), ("official", "Official"), ("cancelled", "Cancelled")],
        default="provisional", required=True, readonly=True, index=True, tracking=True,
    )
    date_provisional = fields.Date(string="Provisional On", readonly=True, index=True)
    date_official = fields.Date(string="Official On", readonly=True)
    date_cancelled = fields.Date(string="Cancelled On", readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
