import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 180


class PiApiCall(models.Model):
    """One call to the intake API, for audit and for the rate limit.

    Written for every call, refused ones included. Never holds the key itself,
    nor the submitted personal data: only which key, when, from where, the
    answer and the record it touched.
    """

    _name = "pi.api.call"
    _description = "Intake API Call"
    _order = "id desc"
    _rec_name = "endpoint"

    key_id = fields.Many2one("pi.integration.key", ondelete="set null", readonly=True)
    endpoint = fields.Selection(
        [("leads", "Website lead"), ("pbx", "Incoming call")], required=True, readonly=True
    )
    status_code = fields.Integer(string="HTTP Status", readonly=True)
    result = fields.Char(
        readonly=True,
        help="created / merged for leads; partner / lead / new for calls; the error code otherwise.",
    )
    error_fields = fields.Char(string="Invalid Fields", readonly=True)
    remote_addr = fields.Char(string="IP Address", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    res_model = fields.Char(string="Record Model", readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    call_ref = fields.Char(string="PBX Call ID", readonly=True)

    def init(self):
        res = super().init()
        # The rate limit counts a key's calls of the last minute on every request.
        create_index(self.env.cr, "pi_api_call_key_id_create_date_idx", self._table, ["key_id", "create_date"])
        # ... and the retention cron selects by age.
        create_index(self.env.cr, "pi_api_call_create_date_idx", self._table, ["create_date"])
        return res

    @api.model
    def _log_call(self, values):
        """Insert one call in plain SQL: it runs on every request, refused ones
        included, and the ORM's create costs several times more."""
        columns = [
            "key_id", "endpoint", "status_code", "result", "error_fields", "remote_addr",
            "duration_ms", "res_model", "res_id", "call_ref",
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO pi_api_call (%s, create_uid, write_uid, create_date, write_date)
                   VALUES %s""",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                tuple(values.get(column) for column in columns)
                + (self.env.uid, self.env.uid, self.env.cr.now(), self.env.cr.now()),
            )
        )

    def action_open_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    @api.model
    def _cron_purge(self, batch_size=10000):
        """Delete calls older than ``pi_crm.intake_log_days`` (180 by default)."""
        param = self.env["ir.config_parameter"].sudo().get_param("pi_crm.intake_log_days")
        try:
            days = int(param) if param else DEFAULT_RETENTION_DAYS
        except ValueError:
            _logger.warning("Ignoring non-integer pi_crm.intake_log_days=%r", param)
            days = DEFAULT_RETENTION_DAYS
        domain = [("create_date", "<", fields.Datetime.now() - timedelta(days=days))]
        calls = self.sudo().search(domain, limit=batch_size, order="id")
        calls.unlink()
        self.env["ir.cron"]._notify_progress(done=len(calls), remaining=self.sudo().search_count(domain))
