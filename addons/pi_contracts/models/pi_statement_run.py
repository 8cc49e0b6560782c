from odoo import fields, models


class PiStatementRun(models.Model):
    """One sending of investment statements for a period: a week or a quarter ending on ``date_to``.

    A run makes at most one statement per investor; its statements keep the
    figures, the PDF and what became of the e-mail and SMS.
    """

    _name = "pi.statement.run"
    _description = "Investment Statement Run"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, default="/", copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    period = fields.Selection([("weekly", "Weekly"), ("quarterly", "Quarterly")], required=True, default="weekly")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("sending", "Sending"), ("done", "Done")],
        required=True, default="draft", readonly=True, copy=False, tracking=True)
    statement_ids = fields.One2many("pi.investment.statement", "run_id", string="Statements", readonly=True)

    _sql_constraints = [
        ("period_unique", "unique(company_id, period, date_to)",
         "There is already a statement run for this period."),
    ]
