from odoo import fields, models


class PiInvestmentStatementLine(models.Model):
    """One contract on a statement, with the figures of ``compute_payout`` at the period's ends."""

    _name = "pi.investment.statement.line"
    _description = "Investment Statement Line"
    _order = "statement_id, contract_id"

    statement_id = fields.Many2one("pi.investment.statement", required=True, ondelete="cascade", index=True)
    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    principal = fields.Monetary(currency_field="currency_id")
    value = fields.Monetary(currency_field="currency_id", help="The payout as of the period's end.")
    profit_to_date = fields.Monetary(currency_field="currency_id")
    profit_period = fields.Monetary(string="Profit over the Period", currency_field="currency_id")
    nav_start = fields.Float(string="NAV at Start", digits=(16, 4))
    nav_end = fields.Float(string="NAV at End", digits=(16, 4))
    days_to_maturity = fields.Integer()
