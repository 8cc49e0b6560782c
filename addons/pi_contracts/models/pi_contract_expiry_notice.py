from odoo import fields, models


class PiContractExpiryNotice(models.Model):
    """Stamp of one expiry notice: a contract gets at most one per threshold.

    The expiry cron looks for active contracts without a stamp for a threshold,
    so a notice sent (or failed) leaves its domain and is never sent twice, even
    when the cron runs twice or stops half-way.
    """

    _name = "pi.contract.expiry.notice"
    _description = "Contract Expiry Notice"
    _order = "date_sent desc, id desc"

    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade", index=True)
    days_before = fields.Integer(required=True, help="Threshold of the notice: days before the end date.")
    date_sent = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection([("sent", "Sent"), ("failed", "Failed")], required=True, default="sent")
    note = fields.Char()

    _sql_constraints = [
        ("contract_days_unique", "unique(contract_id, days_before)",
         "A contract gets one expiry notice per threshold."),
    ]
