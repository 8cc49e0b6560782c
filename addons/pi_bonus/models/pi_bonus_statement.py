import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import bonus_amount, bonus_write, bonus_xlsx

_logger = logging.getLogger(__name__)

DEFAULT_BATCH = 50


class PiBonusStatement(models.Model):
    """One consultant's bonus for one month: the contracts activated that month
    that are still provisional, and the bonuses that became official (or were
    cancelled) that month. Each line counts as official in exactly one month: the
    month of its ``date_official``.

    Made by the monthly job or a manager's "Tạo bảng thưởng tháng", refreshed while
    draft whenever one of its lines changes, frozen once a manager confirms it.
    Written with the marker of ``tools/bonus_write.py`` only; one statement per
    consultant, company and month is a database constraint.
    """

    _name = "pi.bonus.statement"
    _description = "Monthly Bonus Statement"
    _inherit = ["mail.thread"]
    _order = "date_month desc, user_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_month = fields.Date(string="Month", required=True, readonly=True, index=True,
                             help="The first day of the month.")
    date_month_end = fields.Date(string="Month End", compute="_compute_date_month_end")
    line_ids = fields.Many2many("pi.bonus.line", "pi_bonus_statement_line_rel", "statement_id", "line_id",
                                string="Bonus Lines", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    amount_provisional = fields.Monetary(
        string="Provisional", currency_field="currency_id", readonly=True,
        help="Contracts activated this month whose original is not scanned yet.")
    amount_official = fields.Monetary(
        string="Official", currency_field="currency_id", readonly=True,
        help="Bonuses that became official this month (original collected and scanned).")
    amount_cancelled = fields.Monetary(
        string="Cancelled", currency_field="currency_id", readonly=True,
        help="Bonuses cancelled this month with their contract.")
    state = fields.Selection([("draft", "Draft"), ("confirmed", "Confirmed")], default="draft", required=True,
                             readonly=True, index=True, tracking=True)
    confirmed_uid = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    date_confirmed = fields.Datetime(string="Confirmed On", readonly=True)

    _sql_constraints = [
        ("user_month_unique", "unique(user_id, company_id, date_month)",
         "A consultant gets one bonus statement per month."),
        ("month_first_day", "CHECK(EXTRACT(DAY FROM date_month) = 1)", "A statement's month starts on its 1st."),
    ]

    @api.depends("user_id", "date_month")
    def _compute_name(self):
        for statement in self:
            month = statement.date_month.strftime("%m/%Y") if statement.date_month else ""
            statement.name = f"{month} – {statement.user_id.sudo().name or ''}"

    @api.depends("date_month")
    def _compute_date_month_end(self):
        for statement in self:
            statement.date_month_end = statement.date_month and bonus_amount.month_end(statement.date_month)

    # ------------------------------------------------------------------ guard
    def _action_refusal(self):
        return UserError(self.env._(
            "Bonus statements are made by the monthly run and confirmed by a manager: their lines, totals and "
            "state cannot be written by hand."))

    @api.model_create_multi
    def create(self, vals_list):
        if not bonus_write.is_action_write(self.env.context):
            self.browse().check_access("create")
            raise self._action_refusal()
        return super().create(vals_list)

    def write(self, vals):
        if not bonus_write.is_action_write(self.env.context) and bonus_write.guarded_fields(self._fields) & vals.keys():
            self.check_access("write")
            raise self._action_refusal()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_by_hand(self):
        if not bonus_write.is_action_write(self.env.context):
            raise self._action_refusal()

    def _write_from_action(self, vals):
        return self.sudo().with_context(**bonus_write.action_context()).write(vals)

    # ------------------------------------------------------------------ figures
    def _pi_lines_domain(self):
        self.ensure_one()
        start, end = self.date_month, bonus_amount.month_end(self.date_month)
        return [
            ("user_id", "=", self.user_id.id), ("company_id", "=", self.company_id.id),
            "|", "|",
            "&", ("date_provisional", ">=", start), ("date_provisional", "<=", end),
            "&", ("date_official", ">=", start), ("date_official", "<=", end),
            "&", ("date_cancelled", ">=", start), ("date_cancelled", "<=", end),
        ]

    def _pi_refresh(self):
        """Lines and totals from the lines as they are now; confirmed statements are frozen."""
        Line = self.env["pi.bonus.line"].sudo()
        for statement in self.filtered(lambda s: s.state == "draft"):
            start, end = statement.date_month, bonus_amount.month_end(statement.date_month)
            lines = Line.search(statement._pi_lines_domain())

            def within(day, start=start, end=end):
                return bool(day) and start <= day <= end

            statement._write_from_action({
                "line_ids": [(6, 0, lines.ids)],
                "line_count": len(lines),
                "amount_provisional": sum(line.amount for line in lines
                                          if line.state == "provisional" and within(line.date_provisional)),
                "amount_official": sum(line.amount for line in lines
                                       if line.state == "official" and within(line.date_official)),
                "amount_cancelled": sum(line.amount for line in lines
                                        if line.state == "cancelled" and within(line.date_cancelled)),
            })

    # ------------------------------------------------------------------ making statements
    @api.model
    def _pi_consultants_to_do(self, month):
        """``(user_id, company_id)`` pairs with bonus lines in ``month`` and no statement for it yet,
        in a stable order (a rerun picks up where a stopped one left)."""
        start, end = bonus_amount.month_start(month), bonus_amount.month_end(month)
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT DISTINCT line.user_id, line.company_id
              FROM pi_bonus_line line
             WHERE (line.date_provisional BETWEEN %(start)s AND %(end)s
                    OR line.date_official BETWEEN %(start)s AND %(end)s
                    OR line.date_cancelled BETWEEN %(start)s AND %(end)s)
               AND NOT EXISTS (SELECT 1 FROM pi_bonus_statement statement
                                WHERE statement.user_id = line.user_id AND statement.company_id = line.company_id
                                  AND statement.date_month = %(start)s)
             ORDER BY line.user_id, line.company_id
        """, {"start": start, "end": end})
        return self.env.cr.fetchall()

    @api.model
    def _pi_generate(self, month, limit=None):
        """Make the missing statements of ``month`` (at most ``limit``), each filled.

        Each consultant's statement is made in one savepoint: a failure leaves
        nothing half made, and what was made before it stays. A statement that
        exists is never made again (the query above leaves it out, the database
        refuses a second one).
        :return: ``(made, remaining)``
        """
        start = bonus_amount.month_start(fields.Date.to_date(month))
        todo = self._pi_consultants_to_do(start)
        batch, remaining = (todo[:limit], len(todo) - limit) if limit else (todo, 0)
        engine = self.sudo().with_context(mail_create_nolog=True, **bonus_write.action_context())
        made = engine.browse()
        for user_id, company_id in batch:
            with self.env.cr.savepoint():
                statement = engine.create({"user_id": user_id, "company_id": company_id, "date_month": start})
                statement._pi_refresh()
            made |= statement
        return made.with_env(self.env), max(remaining, 0)

    @api.model
    def _cron_generate_statements(self, batch_size=DEFAULT_BATCH, date_ref=None):
        """Monthly, on the 1st: last month's statements, a batch per run; the cron
        runs again at once while some are left (``_notify_progress``)."""
        month = bonus_amount.previous_month_start(date_ref or fields.Date.context_today(self))
        made, remaining = self._pi_generate(month, limit=batch_size)
        self.env["ir.cron"]._notify_progress(done=len(made), remaining=remaining)
        return made, remaining

    # ------------------------------------------------------------------ actions
    def _check_manager(self):
        if not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager may confirm bonus statements."))

    def action_confirm(self):
        """Draft → confirmed, by a manager: the figures are refreshed one last time, then frozen."""
        self._check_manager()
        self.check_access("read")
        if any(statement.state != "draft" for statement in self):
            raise UserError(self.env._("Only a draft bonus statement can be confirmed."))
        self._pi_refresh()
        self._write_from_action({"state": "confirmed", "confirmed_uid": self.env.user.id,
                                 "date_confirmed": fields.Datetime.now()})
        return True

    def action_refresh(self):
        self.check_access("read")
        self._pi_refresh()
        return True

    def action_open_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bonus Lines"),
            "res_model": "pi.bonus.line",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.ids)],
            "context": {"create": False},
        }

    def action_export_xlsx(self):
        """The statement and its lines as an Excel file, for whoever may read it
        (stock list export needs a right PI's staff do not have)."""
        self.ensure_one()
        self.check_access("read")
        lang_self = self.with_context(lang=self._pi_report_lang())
        content = lang_self._pi_xlsx()
        # The file of a statement the user may read, attached to it: reading the
        # attachment follows read access on the statement; creating it needs no write.
        attachment = self.env["ir.attachment"].sudo().create({
            "name": lang_self._pi_file_name("xlsx"),
            "raw": content,
            "res_model": self._name,
            "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true",
                "target": "download"}

    def _pi_file_name(self, extension):
        """"Bảng thưởng 11-2026 - Nguyễn Thị Lan.pdf": no "/" in a file name."""
        title = self.env._("Bonus statement %(month)s", month=self.date_month.strftime("%m-%Y"))
        return f"{title} - {self.user_id.sudo().name}.{extension}"

    def _pi_xlsx(self):
        env = self.env
        states = dict(env["pi.bonus.line"]._fields["state"]._description_selection(env))
        statement_states = dict(self._fields["state"]._description_selection(env))
        headers = [env._("Contract"), env._("Investor"), env._("Activated on"), env._("Principal (đ)"),
                   env._("Rate (%)"), env._("Bonus (đ)"), env._("Status"), env._("Official on"),
                   env._("Cancelled on")]
        rows = [[line.contract_id.sudo().name, line.partner_id.sudo().name, self._pi_date(line.date_provisional),
                 line.principal, line.rate, line.amount, states[line.state], self._pi_date(line.date_official),
                 self._pi_date(line.date_cancelled)] for line in self.line_ids]
        facts = [(env._("Consultant"), self.user_id.sudo().name),
                 (env._("Period"), f"{self._pi_date(self.date_month)} – {self._pi_date(self.date_month_end)}"),
                 (env._("Status"), statement_states[self.state])]
        totals = [(env._("Provisional"), self.amount_provisional),
                  (env._("Official this month"), self.amount_official),
                  (env._("Cancelled this month"), self.amount_cancelled)]
        title = env._("Bonus statement %(month)s", month=self.date_month.strftime("%m/%Y"))
        return bonus_xlsx.statement_workbook(title, facts, headers, rows, totals)

    # ------------------------------------------------------------------ report helpers
    def _pi_report_lang(self):
        return "vi_VN" if self.env["res.lang"]._get_code("vi_VN") else self.env.lang

    @staticmethod
    def _pi_vnd(amount):
        return bonus_amount.format_vnd(amount or 0)

    @staticmethod
    def _pi_date(day):
        return day.strftime("%d/%m/%Y") if day else ""
