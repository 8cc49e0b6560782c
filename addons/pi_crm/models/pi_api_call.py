import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 180
# A follow-up still pending after this long missed its after-response run
# (worker stopped in between): the safety-net cron takes it over.
FOLLOWUP_GRACE_SECONDS = 60
# A follow-up that fails (a lock, a lost connection, a bug) is tried again by the cron, at
# least FOLLOWUP_GRACE_SECONDS later, up to this many times in all; then it is marked failed.
FOLLOWUP_ATTEMPTS = 3
# A switchboard's resend of a call (same call id) within this time gets the
# first answer again, without a second history entry or notice.
PBX_RETRY_HOURS = 24


class PiApiCall(models.Model):
    """One call to the intake API, for audit and for the rate limit.

    Written for every call, refused ones included. Never holds the key itself,
    nor the submitted personal data: only which key, when, from where, the
    answer and the record it touched.

    A call may leave work to do once its answer has gone out (the switchboard's
    history entry and live notice): the row then carries it in
    ``followup_payload`` until it is done, a few milliseconds later, and the
    payload is cleared. The row and the answer are written in one transaction,
    so the work is never lost: a cron runs what a stopped worker left behind.
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
    resent = fields.Boolean(
        string="Resend",
        readonly=True,
        help="The switchboard sent an already answered call again (same call ID): it got the first answer, "
        "without a second history entry or notice.",
    )
    followup_state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
        string="Follow-up",
        readonly=True,
        help="Work done after the answer: the call history entry and the live notice to the consultant.",
    )
    followup_payload = fields.Json(readonly=True, groups="base.group_system")
    followup_attempts = fields.Integer(string="Follow-up Attempts", readonly=True,
                                       help="Failed runs of the follow-up so far: it is tried again, "
                                            f"{FOLLOWUP_ATTEMPTS} times in all.")

    @api.depends("endpoint")
    def _compute_display_name(self):
        labels = dict(self._fields["endpoint"]._description_selection(self.env))
        for call in self:
            call.display_name = f"{labels.get(call.endpoint, '')} #{call.id}"

    def init(self):
        res = super().init()
        # The rate limit counts a key's calls of the last minute on every request.
        create_index(self.env.cr, "pi_api_call_key_id_create_date_idx", self._table, ["key_id", "create_date"])
        # ... and the retention cron selects by age.
        create_index(self.env.cr, "pi_api_call_create_date_idx", self._table, ["create_date"])
        # ... and a switchboard's retry is recognised by its call id.
        create_index(
            self.env.cr, "pi_api_call_key_id_call_ref_idx", self._table, ["key_id", "call_ref"],
            where="call_ref IS NOT NULL",
        )
        # ... and the follow-up cron looks for the few pending rows.
        create_index(
            self.env.cr, "pi_api_call_followup_pending_idx", self._table, ["id"],
            where="followup_state = 'pending'",
        )
        return res

    @api.model
    def _log_call(self, values):
        """Insert one call in plain SQL: it runs on every request, refused ones
        included, and the ORM's create costs several times more.

        :param dict values: column values; ``followup`` (a JSON-able dict)
            records work to run after the answer, see ``_run_followups``
        :returns: the new row's id
        """
        columns = [
            "key_id", "endpoint", "status_code", "result", "error_fields", "remote_addr",
            "duration_ms", "res_model", "res_id", "call_ref", "resent",
        ]
        followup = values.get("followup")
        self.env.cr.execute(
            SQL(
                # statement_timestamp(): when the row is written (a request is one short transaction,
                # so the ORM's create_date would say the same); the follow-up cron's grace time is
                # counted from it
                """INSERT INTO pi_api_call (%s, followup_state, followup_payload,
                                            create_uid, write_uid, create_date, write_date)
                   VALUES %s RETURNING id""",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL("(%s, statement_timestamp() AT TIME ZONE 'UTC', statement_timestamp() AT TIME ZONE 'UTC')",
                    SQL(", ").join(
                    tuple(values.get(column) for column in columns)
                    + ("pending" if followup else None, json.dumps(followup) if followup else None)
                    + (self.env.uid, self.env.uid)
                )),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _find_answered_pbx_call(self, key_id, call_ref):
        """The answered call of this key with this PBX call id, within the
        retry window (``PBX_RETRY_HOURS``), as ``(result, res_model, res_id)``;
        None when there is none (or no call id)."""
        if not call_ref:
            return None
        self.env.cr.execute(
            """SELECT result, res_model, res_id FROM pi_api_call
                WHERE key_id = %s AND call_ref = %s AND endpoint = 'pbx' AND status_code = 200
                  AND create_date > (now() AT TIME ZONE 'UTC') - make_interval(hours => %s)
                ORDER BY id LIMIT 1""",
            (key_id, call_ref, PBX_RETRY_HOURS),
        )
        return self.env.cr.fetchone()

    def _run_followups(self):
        """Run the pending follow-ups of these calls, each once.

        Rows are locked with SKIP LOCKED: the after-response run and the cron
        never do the same work twice. A failing follow-up is logged and left
        pending for the cron to try again (``FOLLOWUP_ATTEMPTS`` in all, then
        it is marked failed) instead of blocking the others.
        """
        if not self:
            return 0
        self.env.cr.execute(
            """SELECT id, followup_payload FROM pi_api_call
                WHERE id IN %s AND followup_state = 'pending'
                ORDER BY id FOR UPDATE SKIP LOCKED""",
            (tuple(self.ids),),
        )
        rows = self.env.cr.fetchall()
        done = 0
        for call_id, payload in rows:
            state = "done"
            try:
                with self.env.cr.savepoint():
                    self._run_followup(payload)
            except Exception:  # pylint: disable=broad-except  # one bad row must not stop the others
                _logger.warning("Intake API call %s: follow-up failed", call_id, exc_info=True)
                state = "failed"
            if state == "done":
                self.env.cr.execute(
                    "UPDATE pi_api_call SET followup_state = 'done', followup_payload = NULL WHERE id = %s",
                    (call_id,),
                )
            else:
                # kept with its payload for another try, unless this was the last one;
                # write_date: the cron's next try waits the grace time again
                self.env.cr.execute(
                    """UPDATE pi_api_call
                          SET followup_attempts = COALESCE(followup_attempts, 0) + 1,
                              followup_state = CASE WHEN COALESCE(followup_attempts, 0) + 1 >= %(max)s
                                                    THEN 'failed' ELSE 'pending' END,
                              followup_payload = CASE WHEN COALESCE(followup_attempts, 0) + 1 >= %(max)s
                                                      THEN NULL ELSE followup_payload END,
                              write_date = %(now)s
                        WHERE id = %(id)s""",
                    # the clock, not the transaction's start: the next try waits from now
                    {"max": FOLLOWUP_ATTEMPTS, "id": call_id, "now": fields.Datetime.now()},
                )
            done += state == "done"
        self.invalidate_recordset(["followup_state", "followup_payload", "followup_attempts", "write_date"])
        return done

    @api.model
    def _run_followup(self, followup):
        """The work a call left for after its answer (see ``pi.intake._receive_call``):
        for a switchboard call, its history entry, as the key's technical user,
        and the live notice to the consultant, else the team, else the managers.
        """
        if followup.get("kind") != "pbx_call":
            raise ValueError(f"Unknown intake follow-up {followup.get('kind')!r}")
        # As superuser to read the key (administrators only), as with the call's answer.
        key = self.env["pi.integration.key"].sudo().with_context(active_test=False).browse(followup["key_id"])
        env = self.env["pi.intake"]._key_env(key)
        partner = env["res.partner"].browse(followup["partner_id"]).exists()
        lead = env["crm.lead"].browse(followup["lead_id"]).exists()
        responsible = env["res.users"].browse(followup["responsible_id"]).exists()
        team = env["crm.team"].browse(followup["team_id"]).exists()
        if not partner and not lead:
            _logger.info("Incoming call %s: its customer was deleted meanwhile", followup.get("call_id"))
        else:
            env["pi.interaction"]._pi_log_switchboard_call(followup, partner, lead, responsible)
        recipients = responsible or team.member_ids | team.user_id
        if not recipients:
            # As superuser: the technical user may not read the groups' members.
            recipients = self.env.ref("pi_crm.group_pi_manager").sudo().users
        # As superuser: the recipients' language and bus channel (their partner).
        recipients.sudo()._pi_notify_incoming_call(followup["caller"], followup.get("called"), followup["answer"])

    @api.model
    def _cron_run_followups(self, batch_size=500):
        """Safety net: run the follow-ups whose after-response run never came,
        and those to try again after a failure, by batches; the cron reports what is
        left and runs again at once. A row written (answered, or failed) less than
        ``FOLLOWUP_GRACE_SECONDS`` ago is left for later."""
        since = fields.Datetime.now() - timedelta(seconds=FOLLOWUP_GRACE_SECONDS)
        domain = [("followup_state", "=", "pending"), ("create_date", "<", since),
                  "|", ("followup_attempts", "in", (0, False)), ("write_date", "<", since)]
        calls = self.sudo().search(domain, limit=batch_size, order="id")
        calls._run_followups()
        # done: the rows tried, failed ones included (they wait for their next try), so that a
        # batch that failed as a whole does not stop the runner before the rows behind it
        self.env["ir.cron"]._notify_progress(done=len(calls), remaining=self.sudo().search_count(domain))

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
