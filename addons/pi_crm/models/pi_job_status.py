import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEFAULT_STUCK_FACTOR = 3
INTERVAL_DAYS = {"minutes": 1 / 1440, "hours": 1 / 24, "days": 1, "weeks": 7, "months": 30}


class PiJobStatus(models.Model):
    """How each scheduled job last went: its last success, its last failure and why.

    One row per ``ir.cron``, written by the cron runner itself (``ir.cron._callback``,
    see ir_cron.py) in plain SQL, for every job of the database: PI's and stock's alike,
    and those added later by any module. A job is *stuck* when it is active and has not
    succeeded for longer than ``pi_crm.job_stuck_factor`` (3 by default) times its
    interval: failing every time, or killed every time (a killed worker records nothing,
    so only the age of the last success tells).

    Read by administrators only; nobody writes it through the ORM.
    """

    _name = "pi.job.status"
    _description = "Scheduled Job Status"
    _order = "cron_id"
    _rec_name = "cron_name"

    cron_id = fields.Many2one("ir.cron", string="Scheduled Action", required=True, ondelete="cascade",
                              readonly=True, index=True)
    cron_name = fields.Char(related="cron_id.cron_name", string="Job")
    cron_active = fields.Boolean(related="cron_id.active", string="Active")
    interval_number = fields.Integer(related="cron_id.interval_number", string="Every")
    interval_type = fields.Selection(related="cron_id.interval_type", string="Interval Unit")
    nextcall = fields.Datetime(related="cron_id.nextcall", string="Next Run")
    failure_count = fields.Integer(related="cron_id.failure_count", string="Failures in a Row")
    last_success = fields.Datetime(readonly=True)
    last_duration = fields.Float(string="Last Duration (s)", readonly=True, digits=(16, 1))
    last_failure = fields.Datetime(readonly=True)
    last_error = fields.Text(readonly=True)
    is_pi = fields.Boolean(string="PI Job", compute="_compute_is_pi", search="_search_is_pi", compute_sudo=True,
                           help="Defined by one of the PI addons.")
    is_stuck = fields.Boolean(string="Stuck", compute="_compute_is_stuck", search="_search_is_stuck", compute_sudo=True,
                              help="Active, and no success for longer than N times its interval "
                                   "(N: system parameter pi_crm.job_stuck_factor, 3 by default).")

    _sql_constraints = [("cron_unique", "unique(cron_id)", "A scheduled job has one status.")]

    def init(self):
        # the jobs that exist when the module is installed or updated; later ones come with ir.cron.create
        self.env.cr.execute(SQL(
            "INSERT INTO %s (cron_id, create_date, write_date) SELECT id, now() AT TIME ZONE 'UTC', "
            "now() AT TIME ZONE 'UTC' FROM ir_cron ON CONFLICT (cron_id) DO NOTHING", SQL.identifier(self._table)))

    def _pi_cron_ids(self):
        self.env.cr.execute("SELECT res_id FROM ir_model_data WHERE model = 'ir.cron' AND module LIKE 'pi\\_%'")
        return [row[0] for row in self.env.cr.fetchall()]

    def _compute_is_pi(self):
        pi_ids = set(self._pi_cron_ids())
        for status in self:
            status.is_pi = status.cron_id.id in pi_ids

    def _search_is_pi(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("cron_id", "in" if positive else "not in", self._pi_cron_ids())]

    @api.model
    def _stuck_factor(self):
        param = self.env["ir.config_parameter"].sudo().get_param("pi_crm.job_stuck_factor")
        try:
            return max(float(param), 1.0) if param else DEFAULT_STUCK_FACTOR
        except ValueError:
            _logger.warning("Ignoring non-numeric pi_crm.job_stuck_factor=%r", param)
            return DEFAULT_STUCK_FACTOR

    def _stuck_since(self):
        """The moment after which this job counts as stuck (None: never, it is inactive)."""
        self.ensure_one()
        cron = self.cron_id
        if not cron.active:
            return None
        window = timedelta(days=INTERVAL_DAYS[cron.interval_type] * cron.interval_number * self._stuck_factor())
        # never succeeded: counted from when the job (or its status) appeared
        return (self.last_success or max(self.create_date, cron.create_date)) + window

    def _compute_is_stuck(self):
        now = fields.Datetime.now()
        for status in self:
            since = status._stuck_since()
            status.is_stuck = bool(since and since < now)

    def _search_is_stuck(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        stuck = self.sudo().search([("cron_active", "=", True)]).filtered("is_stuck")
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", stuck.ids)]

    @api.model
    def _pi_record(self, cron_id, success, duration=0.0, error=None):
        """Record one run of the job ``cron_id`` in the current transaction (the job's own:
        a success is committed with the job's work, a failure after the job's rollback)."""
        if success:
            column_sql = SQL("last_success = now() AT TIME ZONE 'UTC', last_duration = %s", duration)
            values_sql = SQL("now() AT TIME ZONE 'UTC', %s, NULL, NULL", duration)
        else:
            column_sql = SQL("last_failure = now() AT TIME ZONE 'UTC', last_error = %s", error)
            values_sql = SQL("NULL, NULL, now() AT TIME ZONE 'UTC', %s", error)
        self.env.cr.execute(SQL(
            """INSERT INTO pi_job_status (cron_id, last_success, last_duration, last_failure, last_error,
                                          create_date, write_date)
               VALUES (%s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
               ON CONFLICT (cron_id) DO UPDATE SET %s, write_date = now() AT TIME ZONE 'UTC'""",
            cron_id, values_sql, column_sql))
        self.invalidate_model()

    @api.model
    def _pi_record_new(self, cron_id):
        self.env.cr.execute(
            "INSERT INTO pi_job_status (cron_id, create_date, write_date) VALUES "
            "(%s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') ON CONFLICT (cron_id) DO NOTHING", [cron_id])

    def action_open_cron(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "ir.cron", "res_id": self.cron_id.id,
                "view_mode": "form"}
