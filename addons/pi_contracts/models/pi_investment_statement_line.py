from odoo import api, fields, models

from ..tools import statement_engine


class PiInvestmentStatementLine(models.Model):
    """One contract on a statement, with the figures of ``compute_payout`` at the period's ends.

    Written by the statement engine only, as its statement.
    """

    _name = "pi.investment.statement.line"
    _description = "Investment Statement Line"
    _order = "statement_id, contract_id"

    statement_id = fields.Many2one("pi.investment.statement", required=True, ondelete="cascade", index=True)
    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="statement_id.partner_id", string="Investor")
    currency_id = fields.Many2one(related="statement_id.currency_id")
    principal = fields.Monetary(currency_field="currency_id")
    value = fields.Monetary(currency_field="currency_id", help="The payout as of the period's end.")
    profit_to_date = fields.Monetary(currency_field="currency_id")
    profit_period = fields.Monetary(string="Profit over the Period", currency_field="currency_id",
                                    help="Profit to date at the period's end minus the profit to date the day "
                                         "before it started.")
    nav_start = fields.Float(string="NAV at Start", digits=(16, 6),
                             help="The product's NAV the day before the period started.")
    nav_end = fields.Float(string="NAV at End", digits=(16, 6))
    days_to_maturity = fields.Integer()

    @api.model_create_multi
    def create(self, vals_list):
        if not statement_engine.is_engine_write(self.env.context):
            self.browse().check_access("create")
            raise self.env["pi.investment.statement"]._engine_refusal()
        return super().create(vals_list)

    def write(self, vals):
        if not statement_engine.is_engine_write(self.env.context) and \
                statement_engine.engine_fields(self._fields) & vals.keys():
            self.check_access("write")
            raise self.env["pi.investment.statement"]._engine_refusal()
        return super().write(vals)
