import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date

from ..tools import statement_engine, statement_period

_logger = logging.getLogger(__name__)

WEEKDAY_PARAM = "pi_contracts.statement_weekday"
ACTION_BATCH_PARAM = "pi_contracts.statement_action_batch"
# "Gửi ngay" sends this many investors in the manager's request (what a click may wait for) and hands the
# rest to the statements job, which commits after each batch.
DEFAULT_ACTION_BATCH = 20
# What only the engine writes on a run (``_write_from_engine``).
RUN_ENGINE_FIELDS = frozenset({"state", "date_from"})
# What defines the run's period: fixed once it is created.
RUN_PERIOD_FIELDS = frozenset({"company_id", "period", "date_to"})
class PiStatementRun(models.Model):
    """One sending of investment statements for a period: a week or a quarter ending on ``date_to``.

    A run makes at most one statement per investor; its statements keep the
    figures, the PDF and what became of the e-mail and SMS.

    Public API: ``action_send()`` (the "Gửi ngay" button: managers, everything
    now, in the caller's transaction) and ``_cron_send_statements()`` (the daily
    job: creates the due runs and sends them by batches, committing between
    batches through ``ir.cron._notify_progress``). Both end in ``_send_statements``.
    """

    _name = "pi.statement.run"
    _description = "Investment Statement Run"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, default="/", copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    period = fields.Selection([("weekly", "Weekly"), ("quarterly", "Quarterly")], required=True, default="weekly")
    date_from = fields.Date(string="From", compute="_compute_date_from", store=True, precompute=True,
                            readonly=True)
    date_to = fields.Date(string="To", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("sending", "Sending"), ("done", "Done")],
        required=True, default="draft", readonly=True, copy=False, tracking=True)
    statement_ids = fields.One2many("pi.investment.statement", "run_id", string="Statements", readonly=True)
    statement_count = fields.Integer(string="Statements", compute="_compute_counts")
    sent_count = fields.Integer(string="Sent", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed", compute="_compute_counts")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_counts")
    pending_count = fields.Integer(string="Pending", compute="_compute_counts")

    _sql_constraints = [
        ("period_unique", "unique(company_id, period, date_to)",
         "There is already a statement run for this period."),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("period", "date_to")
    def _compute_date_from(self):
        for run in self:
            if run.date_to and run.period and (run.period == "weekly"
                                               or statement_period.is_quarter_end(run.date_to)):
                run.date_from = statement_period.period_start(run.period, run.date_to)
            else:
                run.date_from = run.date_to

    def _compute_counts(self):
        groups = self.env["pi.investment.statement"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"])
        counts = {}
        for run, state, count in groups:
            counts.setdefault(run.id, {})[state] = count
        for run in self:
            run_counts = counts.get(run.id, {})
            run.statement_count = sum(run_counts.values())
            run.sent_count = run_counts.get("sent", 0)
            run.failed_count = run_counts.get("failed", 0)
            run.skipped_count = run_counts.get("skipped", 0)
            run.pending_count = run_counts.get("pending", 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains("period", "date_to")
    def _check_period(self):
        for run in self:
            if run.period == "quarterly" and not statement_period.is_quarter_end(run.date_to):
                raise ValidationError(self.env._(
                    "A quarterly statement ends on the last day of a quarter (31/03, 30/06, 30/09 or 31/12), "
                    "not on %(date)s.", date=format_date(self.env, run.date_to)))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self._is_engine_write() and vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A statement run starts as a draft: its state is set by sending it."))
            vals.pop("date_from", None)
        self._check_no_run_for_period(vals_list)
        runs = super().create(vals_list)
        for run in runs.filtered(lambda run: run.name == "/"):
            run.name = run._default_name()
        return runs

    def write(self, vals):
        if not self._is_engine_write():
            protected = RUN_ENGINE_FIELDS & vals.keys()
            if protected:
                raise UserError(self.env._(
                    "The state of a statement run changes only by sending it (Send now or the daily job)."))
            if RUN_PERIOD_FIELDS & vals.keys() and any(
                    run._get_changed(vals, RUN_PERIOD_FIELDS) for run in self):
                raise UserError(self.env._(
                    "The period of a statement run cannot be changed: create a run for the other period."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_without_statements(self):
        if self.statement_ids:
            raise UserError(self.env._("A statement run that made statements cannot be deleted."))

    def _get_changed(self, vals, names):
        self.ensure_one()
        changed = set()
        for name in names & vals.keys():
            field = self._fields[name]
            if field.convert_to_record(field.convert_to_cache(vals[name], self), self) != self[name]:
                changed.add(name)
        return changed

    @api.model
    def _check_no_run_for_period(self, vals_list):
        """A second run for the same period is refused with the first one's name
        (the database constraint period_unique backs this up under concurrency)."""
        default_company = self.env.company.id
        for vals in vals_list:
            if not vals.get("date_to"):
                continue
            existing = self.sudo().search([
                ("company_id", "=", vals.get("company_id") or default_company),
                ("period", "=", vals.get("period") or "weekly"),
                ("date_to", "=", vals["date_to"]),
            ], limit=1)
            if existing:
                raise UserError(self.env._(
                    "There is already a statement run for this period: %(name)s. Open it and use Send now to "
                    "send what is left; an investor never gets two statements for one period.",
                    name=existing.name))

    def _default_name(self):
        """"Sao kê tuần 23/11/2026 – 29/11/2026", in PI's language (Vietnamese when
        installed), whoever creates the run (the cron runs in English)."""
        self.ensure_one()
        lang = "vi_VN" if self.env["res.lang"]._get_code("vi_VN") else self.env.lang
        return self.with_context(lang=lang)._period_title()

    def _period_title(self):
        self.ensure_one()
        return self.env["pi.investment.statement"]._pi_period_title(self.period, self.date_from, self.date_to)

    # ------------------------------------------------------------------ engine marker
    def _write_from_engine(self, vals):
        return self.with_context(**statement_engine.engine_context()).write(vals)

    def _is_engine_write(self):
        return statement_engine.is_engine_write(self.env.context)

    # ------------------------------------------------------------------ actions
    def action_send(self):
        """"Gửi ngay": make and send this run's statements now (managers only).

        Idempotent: investors who already have their statement are not sent it
        again; failed ones are tried again. A run bigger than the button's batch
        (``pi_contracts.statement_action_batch``, 20 investors) goes on in the
        background through the statements job, started at once: the job commits
        after each batch, where the request would hold one transaction for the
        whole run.
        """
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group("pi_crm.group_pi_manager")):
            raise AccessError(self.env._("Only a manager can send investment statements."))
        self.check_access("write")
        limit = int(self.env["ir.config_parameter"].sudo().get_param(ACTION_BATCH_PARAM, DEFAULT_ACTION_BATCH))
        done, remaining = self._send_statements(limit=limit or None, retry_failed=True)
        if remaining:
            # a manager may not write crons: scheduling this one job now is all this does
            self.env.ref("pi_contracts.ir_cron_pi_statement_send").sudo()._trigger()
            message = self.env._("%(done)s statements sent; the other %(remaining)s are being sent in the "
                                 "background.", done=done, remaining=remaining)
        else:
            message = self.env._("%(done)s statements processed.", done=done)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "success", "sticky": False,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def action_view_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_contracts.pi_investment_statement_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ engine
    def _send_statements(self, limit=None, retry_failed=False):
        """Make the missing statements of this run and send the unsent ones.

        The engine writes its own records (runs, statements, lines, PDFs) as
        superuser, after the caller's right was checked (``action_send``, or the
        cron); it renders the PDF, the e-mail and the SMS with the caller's
        rights (a manager renders PI's templates in stock's restricted mode:
        placeholders only).

        :param limit: at most this many investors in this call (None: all)
        :param retry_failed: also try again the failed statements whatever their
            last attempt (the button); otherwise those tried over an hour ago
        :return: ``(done, remaining)``: statements processed, and statements
            (or investors without one yet) left to do now
        """
        self.ensure_one()
        run = self.sudo()
        if run.state == "draft":
            run._write_from_engine({"state": "sending"})
        Statement = self.env["pi.investment.statement"]
        done, processed = 0, []
        chunk = Statement._engine_batch_size()
        while limit is None or done < limit:
            size = chunk if limit is None else min(chunk, limit - done)
            run._create_statements(size)
            # each statement once per call: one failing again waits for the next call
            domain = expression.AND([run._get_todo_domain(retry_failed), [("id", "not in", processed)]])
            todo = Statement.sudo()._lock_for_sending(domain, size)
            if not todo:
                break
            processed += todo.ids
            todo.with_env(self.env)._process()
            done += len(todo)
            # the engine never commits: a worker stopped here loses this call's work only
            self.env.invalidate_all()
        remaining = run._count_remaining()
        if not remaining:
            run._write_from_engine({"state": "done"})
        if done:
            self._trigger_queues()
        return done, remaining

    def _get_investor_query(self):
        """SQL (and its parameters) selecting the commercial partners that get
        this run's statement and have none yet: an active contract of the run's
        company started by ``date_to``, the statement frequency of the period."""
        self.ensure_one()
        query = """
            FROM res_partner investor
           WHERE investor.active
             AND investor.pi_statement_frequency = %(period)s
             AND EXISTS (SELECT 1 FROM pi_investment_contract contract
                           JOIN res_partner holder ON holder.id = contract.partner_id
                          WHERE holder.commercial_partner_id = investor.id
                            AND contract.state = 'active'
                            AND contract.company_id = %(company)s
                            AND contract.date_start <= %(date_to)s)
             AND NOT EXISTS (SELECT 1 FROM pi_investment_statement statement
                              WHERE statement.partner_id = investor.id
                                AND statement.period = %(period)s
                                AND statement.date_to = %(date_to)s)
        """
        return query, {"period": self.period, "company": self.company_id.id, "date_to": self.date_to}

    def _create_statements(self, limit):
        """Statements (with their lines) for up to ``limit`` investors who have none yet."""
        self.ensure_one()
        self.env.flush_all()
        query, params = self._get_investor_query()
        self.env.cr.execute(f"SELECT investor.id {query} ORDER BY investor.id LIMIT %(limit)s",  # noqa: S608
                            dict(params, limit=limit))
        partner_ids = [row[0] for row in self.env.cr.fetchall()]
        if not partner_ids:
            return self.env["pi.investment.statement"]
        return self.env["pi.investment.statement"].sudo()._create_for_run(self, partner_ids)

    def _get_todo_domain(self, retry_failed):
        """The statements of this run to process: pending, and failed ones to try again."""
        self.ensure_one()
        Statement = self.env["pi.investment.statement"]
        failed = [("state", "=", "failed")]
        if not retry_failed:
            failed = expression.AND([failed, Statement._get_retry_domain()])
        return expression.AND([[("run_id", "=", self.id)], expression.OR([[("state", "=", "pending")], failed])])

    def _count_remaining(self):
        """Pending statements and investors still without one (the failed ones
        wait for the next call: they do not keep a cron busy)."""
        self.ensure_one()
        self.env.flush_all()
        query, params = self._get_investor_query()
        self.env.cr.execute(f"SELECT count(*) {query}", params)  # noqa: S608
        missing = self.env.cr.fetchone()[0]
        pending = self.env["pi.investment.statement"].sudo().search_count(
            [("run_id", "=", self.id), ("state", "=", "pending")])
        return missing + pending

    def _trigger_queues(self):
        """Run the mail and SMS queues now rather than at their next hourly call."""
        for xmlid in ("mail.ir_cron_mail_scheduler_action", "sms.ir_cron_sms_scheduler_action"):
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_send_statements(self, batch_size=200, date_ref=None):
        """Daily: create the runs due today (weekly on PI's weekday for the week
        that just ended, quarterly after each quarter's end) and send the runs
        not finished, ``batch_size`` investors per call.

        ``_notify_progress`` makes the cron worker commit after each call and
        call again while work remains: a worker stopped halfway loses one batch,
        which the next call does again (nothing of it was committed, so nothing
        was sent twice).
        """
        today = fields.Date.to_date(date_ref) if date_ref else self._today()
        self._create_due_runs(today)
        runs = self.search(self._get_cron_runs_domain(), order="date_to, id")
        done = remaining = 0
        for run in runs:
            if done >= batch_size:
                remaining += run._count_remaining()
                continue
            run_done, run_remaining = run._send_statements(limit=batch_size - done)
            done += run_done
            remaining += run_remaining
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    @api.model
    def _today(self):
        """Today in PI's time zone (Vietnam), whatever the cron user's."""
        return fields.Date.context_today(self.with_context(tz=self.env.user.tz or "Asia/Ho_Chi_Minh"))

    @api.model
    def _get_cron_runs_domain(self):
        """Runs not finished, and finished runs with failed statements to try again."""
        retry = self.env["pi.investment.statement"]._get_retry_domain()
        return expression.OR([[("state", "in", ("draft", "sending"))],
                              [("statement_ids", "any", expression.AND([[("state", "=", "failed")], retry]))]])

    @api.model
    def _get_weekday(self):
        """PI's day for the weekly statements: 0 = Monday (default) … 6 = Sunday."""
        value = self.env["ir.config_parameter"].sudo().get_param(WEEKDAY_PARAM, "0")
        try:
            weekday = int(value)
        except ValueError:
            weekday = 0
        return weekday if 0 <= weekday <= 6 else 0

    @api.model
    def _create_due_runs(self, today):
        """The runs due on ``today`` for each company with active contracts, once."""
        due = []
        weekly_to = statement_period.due_weekly_date_to(today, self._get_weekday())
        if weekly_to:
            due.append(("weekly", weekly_to))
        quarterly_to = statement_period.due_quarterly_date_to(today)
        if quarterly_to:
            due.append(("quarterly", quarterly_to))
        if not due:
            return self.browse()
        companies = self.env["pi.investment.contract"].sudo().search(
            [("state", "=", "active")]).company_id
        runs = self.browse()
        for company in companies:
            for period, date_to in due:
                if not self.search_count([("company_id", "=", company.id), ("period", "=", period),
                                          ("date_to", "=", date_to)]):
                    runs |= self.create({"company_id": company.id, "period": period, "date_to": date_to})
        return runs
