from odoo import fields, models


class PiInvestmentStatement(models.Model):
    """What one investor is told about their money for one period: one line per active contract."""

    _name = "pi.investment.statement"
    _description = "Investment Statement"
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, default="/", copy=False)
    run_id = fields.Many2one("pi.statement.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    period = fields.Selection(related="run_id.period", store=True)
    date_from = fields.Date(related="run_id.date_from", store=True)
    date_to = fields.Date(related="run_id.date_to", store=True)
    partner_id = fields.Many2one("res.partner", string="Investor", required=True, index=True,
                                 help="The investor's commercial partner.")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.ref("base.VND"))
    line_ids = fields.One2many("pi.investment.statement.line", "statement_id", string="Contracts", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped")],
        required=True, default="pending", readonly=True, copy=False)
    failure_reason = fields.Char(readonly=True, copy=False)
    attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, copy=False)

    _sql_constraints = [
        ("partner_period_unique", "unique(partner_id, period, date_to)",
         "An investor gets one statement per period."),
    ]
