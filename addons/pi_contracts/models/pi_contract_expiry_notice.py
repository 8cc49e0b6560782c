from odoo import fields, models

# A notice that failed (a lock, a lost connection, a template error) is tried again on the
# following days while the contract is in its band, this many times in all.
NOTICE_ATTEMPTS = 3


class PiContractExpiryNotice(models.Model):
    """Stamp of one expiry notice: a contract gets at most one per threshold.

    The expiry cron looks for active contracts without a stamp for a threshold,
    so a notice sent (or failed) leaves its domain and is never sent twice, even
    when the cron runs twice or stops half-way. A failed one comes back on the
    next days (``NOTICE_ATTEMPTS`` tries in all), the stamp written again.
    """

    _name = "pi.contract.expiry.notice"
    _description = "Contract Expiry Notice"
    _order = "date_sent desc, id desc"

    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade", index=True)
    days_before = fields.Integer(required=True, help="Threshold of the notice: days before the end date.")
    date_sent = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection([("sent", "Sent"), ("failed", "Failed")], required=True, default="sent")
    note = fields.Char()
    attempts = fields.Integer(
        string="Tries", default=1,
        help=f"Tries so far: a failed notice is tried again the next day, {NOTICE_ATTEMPTS} times in all.")

    _sql_constraints = [
        ("contract_days_unique", "unique(contract_id, days_before)",
         "A contract gets one expiry notice per threshold."),
    ]
