import ast
import logging

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import clean_context, float_round, format_date, get_lang, html2plaintext, split_every

from odoo.addons.base.models.res_lang import intersperse
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html

from ..tools import compact_amount, statement_engine, statement_period
from .pi_document_text_mixin import document_text

_logger = logging.getLogger(__name__)

STATEMENT_REPORT = "pi_contracts.action_report_investment_statement"
MAIL_TEMPLATE = "pi_contracts.mail_template_investment_statement"
SMS_TEMPLATE = "pi_contracts.sms_template_investment_statement"
BATCH_PARAM = "pi_contracts.statement_batch_size"
DEFAULT_BATCH = 100
# A failed statement is tried again by the daily job once its last attempt is this old, at most this often.
RETRY_DELAY_HOURS = 1
MAX_AUTO_ATTEMPTS = 3
# Paths (besides the doc_* texts) the statement's e-mail and SMS templates may print.
STATEMENT_PLACEHOLDERS = (
    "object.name",
    "object.partner_id",
    "object.partner_id.name",
    "object.partner_id.email",
    "object.partner_id.pi_salutation",
    "object.company_id",
    "object.company_id.name",
    "object.company_id.email_formatted",
    "object.company_id.phone",
)
CHANNEL_STATES = [("queued", "Queued"), ("skipped", "Not sent"), ("failed", "Failed")]


class PiInvestmentStatement(models.Model):
    """What one investor is told about their money for one period: one line per active contract.

    Written by the engine only (``pi.statement.run._send_statements``): its
    figures, state and PDF carry the engine's marker; any other create or write
    is refused, superuser included.
    """

    _name = "pi.investment.statement"
    _inherit = ["pi.document.text.mixin"]
    _description = "Investment Statement"
    _order = "date_to desc, id desc"
    _pi_placeholders = STATEMENT_PLACEHOLDERS

    name = fields.Char(required=True, default="/", copy=False)
    run_id = fields.Many2one("pi.statement.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    period = fields.Selection(related="run_id.period", store=True)
    date_from = fields.Date(related="run_id.date_from", store=True)
    date_to = fields.Date(related="run_id.date_to", store=True)
    partner_id = fields.Many2one("res.partner", string="Investor", required=True, index=True,
                                 help="The investor's commercial partner.")
    user_id = fields.Many2one(related="partner_id.user_id", string="Consultant")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.ref("base.VND"))
    line_ids = fields.One2many("pi.investment.statement.line", "statement_id", string="Contracts", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped")],
        required=True, default="pending", readonly=True, copy=False, index=True)
    failure_reason = fields.Char(readonly=True, copy=False,
                                 help="Why the statement failed, or why a channel was not used.")
    attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, copy=False)
    lines_done = fields.Boolean(readonly=True, copy=False,
                                help="The figures were computed (a statement whose figures failed has none).")
    email_state = fields.Selection(CHANNEL_STATES, string="Email", readonly=True, copy=False)
    sms_state = fields.Selection(CHANNEL_STATES, string="SMS", readonly=True, copy=False)
    mail_message_id = fields.Many2one("mail.message", string="Email Message", readonly=True, copy=False,
                                      index="btree_not_null", ondelete="set null")
    sms_message_id = fields.Many2one("mail.message", string="SMS Message", readonly=True, copy=False,
                                     index="btree_not_null", ondelete="set null")
    attempt_count = fields.Integer(string="Attempts", readonly=True, copy=False)
    attempt_date = fields.Datetime(string="Last Attempt", readonly=True, copy=False)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    total_principal = fields.Monetary(compute="_compute_totals", store=True, currency_field="currency_id")
    total_value = fields.Monetary(compute="_compute_totals", store=True, currency_field="currency_id")
    total_profit_to_date = fields.Monetary(compute="_compute_totals", store=True, currency_field="currency_id")
    total_profit_period = fields.Monetary(string="Total Profit over the Period", compute="_compute_totals",
                                          store=True, currency_field="currency_id")

    # Texts the templates print, in the render language (the investor's).
    doc_lang = document_text("Language (document)", "The investor's language, Vietnamese when not set.",
                             compute="_compute_doc_lang")
    doc_salutation = document_text("Salutation (document)", 'e.g. "Anh Hùng"')
    doc_title = document_text("Title (document)", 'e.g. "Weekly statement 23/11/2026 – 29/11/2026"')
    doc_period = document_text("Period (document)", 'e.g. "23/11/2026 – 29/11/2026"')
    doc_period_short = document_text("Period, short (document)", 'e.g. "23/11-29/11" or "Q4/2026"')
    doc_date_to = document_text("Valued On (document)")
    doc_total_principal = document_text("Total Principal (document)")
    doc_total_value = document_text("Total Value (document)")
    doc_total_profit_to_date = document_text("Total Profit to Date (document)")
    doc_total_profit_period = document_text("Total Profit over the Period (document)")
    doc_sms_value = document_text("Total Value, short (SMS)", 'e.g. "1,65 tỷ"')
    doc_sms_profit_to_date = document_text("Profit to Date, short (SMS)")
    doc_sms_profit_period = document_text("Profit over the Period, short (SMS)")
    doc_lines_table = fields.Html(string="Contracts Table (document)", compute="_compute_document_texts",
                                  search="_search_document_text", sanitize=False,
                                  help="The table of the contracts' figures, for e-mails.")

    _sql_constraints = [
        ("partner_period_unique", "unique(partner_id, period, date_to)",
         "An investor gets one statement per period."),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("line_ids.principal", "line_ids.value", "line_ids.profit_to_date", "line_ids.profit_period")
    def _compute_totals(self):
        for statement in self:
            lines = statement.line_ids
            statement.total_principal = sum(lines.mapped("principal"))
            statement.total_value = sum(lines.mapped("value"))
            statement.total_profit_to_date = sum(lines.mapped("profit_to_date"))
            statement.total_profit_period = sum(lines.mapped("profit_period"))

    @api.depends("partner_id.lang")
    def _compute_doc_lang(self):
        # Apart from the other texts: the PDF reads it in the sender's language to
        # choose the investor's, which must not compute every text in that language.
        for statement in self:
            statement.doc_lang = statement.partner_id.lang or "vi_VN"

    @api.depends("partner_id.lang", "partner_id.pi_salutation", "partner_id.name", "date_from", "date_to",
                 "period", "total_principal", "total_value", "total_profit_to_date", "total_profit_period",
                 "line_ids")
    @api.depends_context("lang")
    def _compute_document_texts(self):
        env = self.env
        formatters = {}
        for statement in self:
            currency = statement.currency_id
            if currency not in formatters:
                formatters[currency] = self._amount_formatter(currency)
            amount = formatters[currency]
            partner = statement.partner_id
            statement.doc_salutation = partner.pi_salutation or partner.name or ""
            statement.doc_title = statement._period_title()
            statement.doc_period = statement._period_text()
            statement.doc_period_short = statement._period_short()
            statement.doc_date_to = format_date(env, statement.date_to, date_format="dd/MM/yyyy") \
                if statement.date_to else ""
            for key in ("principal", "value", "profit_to_date", "profit_period"):
                statement[f"doc_total_{key}"] = amount(statement[f"total_{key}"])
            statement.doc_sms_value = statement._compact(statement.total_value)
            statement.doc_sms_profit_to_date = statement._compact(statement.total_profit_to_date)
            statement.doc_sms_profit_period = statement._compact(statement.total_profit_period)
            statement.doc_lines_table = statement._lines_table_html(amount)

    @api.model
    def _amount_formatter(self, currency):
        """A function printing an amount of ``currency`` in the environment's
        language exactly as ``odoo.tools.format_amount`` does (same string), with
        the language and currency read once rather than for every figure."""
        number = self._number_formatter(currency.decimal_places)
        rounding = currency.rounding
        pre, post = self._currency_affixes(currency)

        def amount(value):
            text = number(float_round(value or 0, precision_rounding=rounding)).replace(" ", "\N{NO-BREAK SPACE}")
            return f"{pre}{text}{post}"

        return amount

    @api.model
    def _currency_affixes(self, currency):
        symbol = currency.symbol or ""
        return (f"{symbol}\N{NO-BREAK SPACE}", "") if currency.position == "before" \
            else ("", f"\N{NO-BREAK SPACE}{symbol}")

    @api.model
    def _number_formatter(self, precision):
        """A function printing a number with ``precision`` decimals in the
        environment's language exactly as ``res.lang.format("%.<precision>f",
        value, grouping=True)`` does and the float widget shows it (minus sign
        included), the language read once rather than for every figure."""
        lang = get_lang(self.env)
        fmt = f"%.{precision}f"
        grouping, thousands_sep, decimal_point = ast.literal_eval(lang.grouping), lang.thousands_sep or "", \
            lang.decimal_point

        def number(value):
            parts = (fmt % value).split(".")
            parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
            return decimal_point.join(parts).replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")

        return number

    def _report_formatters(self):
        """``(amount, number)`` for the statement PDF, in the environment's
        language: ``amount(value)`` is the HTML of the monetary widget for the
        statement's currency, ``number(value, precision)`` the text of the float
        widget; the same output as those widgets, without their per-figure
        lookups of the language (a run prints thousands of figures)."""
        self.ensure_one()
        currency = self.currency_id
        rounding = currency.rounding
        pre, post = self._currency_affixes(currency)
        money = self._number_formatter(currency.decimal_places)
        numbers = {}

        def amount(value):
            text = money(float_round(value or 0, precision_rounding=rounding)).replace(" ", "\N{NO-BREAK SPACE}")
            return Markup('{pre}<span class="oe_currency_value">{0}</span>{post}').format(text, pre=pre, post=post)

        def number(value, precision):
            if precision not in numbers:
                numbers[precision] = self._number_formatter(precision)
            return numbers[precision](float_round(value or 0, precision_digits=precision))

        return amount, number

    def _compact(self, value):
        """"1,65 tỷ" in Vietnamese, "1.65 billion"-like short texts are not made for other languages."""
        return compact_amount.compact_vnd(value or 0)

    def _dates(self):
        return tuple(format_date(self.env, day, date_format="dd/MM/yyyy") for day in (self.date_from, self.date_to))

    def _period_title(self):
        """"Weekly statement 23/11/2026 – 29/11/2026" in the environment's language."""
        self.ensure_one()
        if not self.date_to:
            return ""
        return self._pi_period_title(self.period, self.date_from, self.date_to)

    @api.model
    def _pi_period_title(self, period, date_from, date_to):
        """"Weekly statement 23/11/2026 – 29/11/2026" in the environment's language, dates as dd/mm/yyyy."""
        start = format_date(self.env, date_from, date_format="dd/MM/yyyy")
        end = format_date(self.env, date_to, date_format="dd/MM/yyyy")
        if period == "quarterly":
            return self.env._("Quarterly statement Q%(quarter)s/%(year)s (%(date_from)s – %(date_to)s)",
                              quarter=statement_period.quarter_of(date_to), year=date_to.year,
                              date_from=start, date_to=end)
        return self.env._("Weekly statement %(date_from)s – %(date_to)s", date_from=start, date_to=end)

    def _period_text(self):
        self.ensure_one()
        if not self.date_to:
            return ""
        date_from, date_to = self._dates()
        return f"{date_from} – {date_to}"

    def _period_short(self):
        self.ensure_one()
        if not self.date_to:
            return ""
        if self.period == "quarterly":
            return self.env._("Q%(quarter)s/%(year)s", quarter=statement_period.quarter_of(self.date_to),
                              year=self.date_to.year)
        return f"{self.date_from:%d/%m}-{self.date_to:%d/%m}"

    def _lines_table_html(self, amount=None):
        """The contracts' figures as an HTML table (inline styles: e-mail clients ignore stylesheets);
        ``amount`` prints a figure (``_amount_formatter`` of the statement's currency by default)."""
        self.ensure_one()
        env = self.env
        amount = amount or self._amount_formatter(self.currency_id)
        cell = Markup('<td style="padding:4px 8px;border:1px solid #ddd;text-align:%s;">%s</td>')
        head = Markup('<th style="padding:4px 8px;border:1px solid #ddd;background:#f2f2f2;text-align:%s;">%s</th>')
        headers = [(env._("Contract"), "left"), (env._("Principal"), "right"), (env._("Value"), "right"),
                   (env._("Profit to date"), "right"), (env._("Profit over the period"), "right")]
        rows = [Markup("<tr>%s</tr>") % Markup().join(head % (align, label) for label, align in headers)]
        for line in self.line_ids:
            rows.append(Markup("<tr>%s</tr>") % Markup().join([
                cell % ("left", line.contract_id.sudo().name),
                *(cell % ("right", amount(line[key]))
                  for key in ("principal", "value", "profit_to_date", "profit_period")),
            ]))
        total = env._("Total")
        rows.append(Markup("<tr>%s</tr>") % Markup().join([
            cell % ("left", Markup("<strong>%s</strong>") % total),
            *(cell % ("right", Markup("<strong>%s</strong>") % amount(self[f"total_{key}"]))
              for key in ("principal", "value", "profit_to_date", "profit_period")),
        ]))
        return Markup('<table style="border-collapse:collapse;margin:8px 0;">%s</table>') % Markup().join(rows)

    # ------------------------------------------------------------------ CRUD: the engine's only
    def _is_engine_write(self):
        return statement_engine.is_engine_write(self.env.context)

    def _engine_refusal(self):
        return UserError(self.env._(
            "Investment statements are made and sent by the statement runs only: their figures and state "
            "cannot be written by hand."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_engine_write():
            self.browse().check_access("create")
            raise self._engine_refusal()
        return super().create(vals_list)

    def write(self, vals):
        # The statement's own fields (figures, state, PDF, what was sent) are the
        # engine's; fields other modules add (a portal token...) follow their rules.
        if not self._is_engine_write() and statement_engine.engine_fields(self._fields) & vals.keys():
            self.check_access("write")
            raise self._engine_refusal()
        return super().write(vals)

    def _write_from_engine(self, vals):
        return self.with_context(**statement_engine.engine_context()).sudo().write(vals)

    # ------------------------------------------------------------------ engine: creation
    @api.model
    def _engine_batch_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param(BATCH_PARAM, DEFAULT_BATCH)
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_BATCH

    @api.model
    def _get_retry_domain(self):
        """Failed statements the daily job tries again: last tried over an hour ago, a few times at most."""
        before = fields.Datetime.subtract(fields.Datetime.now(), hours=RETRY_DELAY_HOURS)
        return [("attempt_count", "<", MAX_AUTO_ATTEMPTS), "|", ("attempt_date", "=", False),
                ("attempt_date", "<", before)]

    @api.model
    def _create_for_run(self, run, partner_ids):
        """One statement per investor of ``partner_ids`` for ``run``, with its figures.

        A concurrent run that made some of them first (the unique constraint)
        only makes these ones be created one by one, each in a savepoint.
        """
        engine = self.sudo().with_context(**statement_engine.engine_context())
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        vals_list = [{"run_id": run.id, "partner_id": partner.id, "name": f"{run.name} – {partner.name}"}
                     for partner in partners]
        try:
            with self.env.cr.savepoint():
                statements = engine.create(vals_list)
        except Exception:  # pylint: disable=broad-exception-caught  # one duplicate must not stop the batch
            _logger.info("Statements of run %s: creating one by one", run.id, exc_info=True)
            statements = engine.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        statements |= engine.create([vals])
                except Exception:  # pylint: disable=broad-exception-caught
                    _logger.warning("Statement of partner %s in run %s not created", vals["partner_id"], run.id,
                                    exc_info=True)
        statements._fill_lines()
        return statements.with_env(self.env)

    def _get_contracts(self):
        """The active contracts of these statements' investors (and their
        contacts), of the run's company, started by the period's end."""
        domains = []
        for (company, date_to), statements in self.grouped(lambda s: (s.company_id, s.date_to)).items():
            domains.append([("partner_id.commercial_partner_id", "in", statements.partner_id.ids),
                            ("company_id", "=", company.id), ("state", "=", "active"),
                            ("date_start", "<=", date_to)])
        Contract = self.env["pi.investment.contract"].sudo()
        contracts = Contract.browse()
        for domain in domains:
            contracts |= Contract.search(domain, order="date_start, id")
        return contracts

    def _fill_lines(self):
        """The lines of statements that have none yet: ``compute_payout`` at the
        period's end and at its opening (the day before it starts), for all the
        contracts at once; a statement whose figures fail is marked failed."""
        todo = self.sudo().filtered(lambda statement: not statement.lines_done)
        if not todo:
            return
        try:
            with self.env.cr.savepoint():
                todo._fill_lines_batch()
        except Exception:  # pylint: disable=broad-exception-caught  # find the investor at fault, go on with the others
            _logger.warning("Statement figures: batch failed, computing one by one", exc_info=True)
            for statement in todo:
                try:
                    with self.env.cr.savepoint():
                        statement._fill_lines_batch()
                except Exception as error:  # pylint: disable=broad-exception-caught
                    _logger.exception("Figures of statement %s failed", statement.id)
                    statement._mark_failed(error)

    def _fill_lines_batch(self):
        contracts = self._get_contracts()
        by_partner = contracts.grouped(lambda contract: contract.partner_id.commercial_partner_id)
        Line = self.env["pi.investment.statement.line"].sudo().with_context(**statement_engine.engine_context())
        series = self.env["pi.product.performance"]._get_nav_series(set(contracts.product_id.ids))
        vals_list = []
        for (date_from, date_to), statements in self.grouped(lambda s: (s.date_from, s.date_to)).items():
            opening = statement_period.opening_date(date_from)
            period_contracts = contracts.filtered(lambda c, statements=statements: (
                c.partner_id.commercial_partner_id in statements.partner_id))
            # the money rule, batched: no query per contract
            closing_payouts = period_contracts._compute_payouts(date_to)
            opening_payouts = period_contracts._compute_payouts(opening)
            for statement in statements:
                for contract in by_partner.get(statement.partner_id, contracts.browse()):
                    closing, start = closing_payouts[contract.id], opening_payouts[contract.id]
                    nav = series.get(contract.product_id.id)
                    vals_list.append({
                        "statement_id": statement.id,
                        "contract_id": contract.id,
                        "principal": closing["principal"],
                        "value": closing["payout"],
                        "profit_to_date": closing["investor_profit"],
                        "profit_period": closing["investor_profit"] - start["investor_profit"],
                        "nav_start": (nav.on(opening) if nav else 0) or 0,
                        "nav_end": (nav.on(date_to) if nav else 0) or 0,
                        "days_to_maturity": statement_period.days_to_maturity(contract.date_end, date_to),
                    })
        Line.create(vals_list)
        self._write_from_engine({"lines_done": True})

    # ------------------------------------------------------------------ engine: sending
    @api.model
    def _lock_for_sending(self, domain, limit):
        """Up to ``limit`` statements of ``domain``, locked for this transaction;
        those another worker is sending right now are left to it."""
        candidates = self.sudo().search(domain, limit=limit, order="id")
        if not candidates:
            return candidates
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM pi_investment_statement WHERE id = ANY(%s) AND state IN ('pending', 'failed') "
            "ORDER BY id FOR UPDATE SKIP LOCKED", [candidates.ids])
        locked = {row[0] for row in self.env.cr.fetchall()}
        candidates.invalidate_recordset(["state"])
        return candidates.filtered(lambda statement: statement.id in locked)

    def _process(self):
        """Figures, PDF and sending of these statements (locked by the caller).

        The PDFs are printed in the background (``_deliver_while_printing``)
        while the e-mails and SMS are made; when that cannot be done, or fails,
        they are printed first and sent after (``_render_pdfs``, ``_deliver``)."""
        self._fill_lines()
        todo = self.filtered(lambda statement: statement.lines_done)
        if todo._deliver_while_printing():
            return
        todo._render_pdfs()
        todo.filtered("attachment_id")._deliver()

    def _deliver_while_printing(self):
        """Print the PDFs of the statements without one in a background process
        and send the statements meanwhile, their PDF attachments created empty
        first and filled once printed, before anything is committed (the mail
        queue reads them after the commit). All or nothing, in a savepoint:
        False, with nothing done, when the PDFs cannot be printed that way or
        are not all there (the caller then prints and sends as before)."""
        todo = self.filtered(lambda statement: not statement.attachment_id)
        if len(todo) < 2:
            return False
        # the statement page has no script: wkhtmltopdf need not wait for one
        Report = self.env["ir.actions.report"].with_context(pi_report_without_scripts=True)
        job = None
        try:
            with self.env.cr.savepoint():
                job = Report._pi_start_pdf_pages(STATEMENT_REPORT, todo.ids)
                if job is None:
                    return False
                if self.env.registry.in_test_mode():
                    # HTTP tests serve wkhtmltopdf the report's assets on this very cursor: not meanwhile
                    job.collect()
                attachments = todo._create_pdf_attachments({statement.id: b"" for statement in todo})
                self.filtered("attachment_id")._deliver()
                pdfs = job.collect()
                for statement, attachment in zip(todo, attachments, strict=True):
                    attachment.write({"raw": pdfs[statement.id]})
        except Exception:  # pylint: disable=broad-exception-caught  # printed and sent again the usual way
            _logger.warning("Statement PDFs: printing in the background failed, printing them first", exc_info=True)
            if job is not None:
                job.cleanup()
            return False
        return True

    def _render_pdfs(self):
        """One call of the batch renderer for the statements without PDF; a
        statement whose PDF fails is marked failed and the others go on."""
        todo = self.filtered(lambda statement: not statement.attachment_id)
        if not todo:
            return
        # the statement page has no script: wkhtmltopdf need not wait for one
        Report = self.env["ir.actions.report"].with_context(pi_report_without_scripts=True)
        try:
            with self.env.cr.savepoint():
                pdfs = Report._pi_render_pdf_per_record(STATEMENT_REPORT, todo.ids)
        except Exception:  # pylint: disable=broad-exception-caught  # find the statement at fault
            _logger.warning("Statement PDFs: batch failed, rendering one by one", exc_info=True)
            pdfs = {}
            for statement in todo:
                try:
                    with self.env.cr.savepoint():
                        pdfs.update(Report._pi_render_pdf_per_record(STATEMENT_REPORT, statement.ids))
                except Exception as error:  # pylint: disable=broad-exception-caught
                    _logger.exception("PDF of statement %s failed", statement.id)
                    statement._mark_failed(error)
        todo._create_pdf_attachments(pdfs)

    def _create_pdf_attachments(self, pdfs):
        """The PDF attachments (``{statement id: PDF bytes}``) of these statements, created at once."""
        rendered = self.filtered(lambda statement: statement.id in pdfs)
        # The engine stores its own PDF on its own record (nobody else writes statements).
        attachments = self.env["ir.attachment"].sudo().create([{
            "name": statement._get_pdf_filename(),
            "raw": pdfs[statement.id],
            "res_model": self._name,
            "res_id": statement.id,
            "mimetype": "application/pdf",
        } for statement in rendered])
        for statement, attachment in zip(rendered, attachments, strict=True):
            statement._write_from_engine({"attachment_id": attachment.id})
        return attachments

    def _get_pdf_filename(self):
        self.ensure_one()
        statement = self.with_context(lang=self.partner_id.lang or "vi_VN")
        return f"{statement._period_title()} - {self.partner_id.name}.pdf".replace("/", "-")

    def _deliver(self):
        """E-mail and SMS of each statement by its investor's preference, each
        investor in a savepoint: one failing is marked failed with its reason,
        the others are sent. The e-mails and SMS are queued, sent by the stock
        queues (triggered by the run).

        The messages of the whole batch are created at once (``_create_messages``,
        as stock's ``message_post`` would make them), then each investor's are
        notified by stock (``_notify_thread``: the mail and SMS queues, the
        notifications) in the investor's savepoint; a batch whose messages cannot
        be created together posts them one by one through ``message_post``."""
        if not self:
            return
        mails = self._render_mails()
        sms_bodies = self._render_sms()
        blacklisted = self._get_blacklisted()
        posts = self._create_messages(mails, sms_bodies, blacklisted)
        notified = self._notify_posted_batch(posts)
        for statement in self:
            try:
                with self.env.cr.savepoint():
                    statement._deliver_one(mails.get(statement.id), sms_bodies.get(statement.id), blacklisted,
                                           posts.get(statement.id), statement.id in notified)
            except Exception as error:  # pylint: disable=broad-exception-caught  # one investor must not block the others
                _logger.exception("Statement %s could not be sent", statement.id)
                statement._discard_messages(posts.get(statement.id))
                statement._mark_failed(error)

    def _mark_failed(self, error):
        self.ensure_one()
        reason = error.args[0] if isinstance(error, UserError) and error.args else str(error)
        self._write_from_engine({
            "state": "failed",
            "failure_reason": (reason or type(error).__name__)[:500],
            "attempt_count": self.attempt_count + 1,
            "attempt_date": fields.Datetime.now(),
        })

    def _wants(self, channel):
        """Whether the investor asked for statements by ``channel`` ("email" or "sms")."""
        self.ensure_one()
        return self.partner_id.sudo().pi_statement_channel in (channel, "both")

    def _render_mails(self):
        """``{statement id: values}`` of the e-mail template, rendered for all
        those sent by e-mail at once, each in its investor's language; one that
        fails to render is left out (``_deliver_one`` fails it with the reason)."""
        todo = self.filtered(lambda statement: statement._wants("email"))
        template = self.env.ref(MAIL_TEMPLATE, raise_if_not_found=False)
        if not todo or not template or template.model != self._name:
            return {}  # no template for statements: each fails with the reason
        render_fields = ["subject", "body_html", "email_from", "reply_to"]
        try:
            with self.env.cr.savepoint():
                return template._generate_template(todo.ids, render_fields)
        except Exception:  # pylint: disable=broad-exception-caught  # one at a time: find the one at fault
            _logger.warning("Statement e-mails: batch rendering failed, one by one", exc_info=True)
        values = {}
        for statement in todo:
            try:
                with self.env.cr.savepoint():
                    values.update(template._generate_template(statement.ids, render_fields))
            except Exception:  # pylint: disable=broad-exception-caught
                _logger.warning("E-mail of statement %s could not be rendered", statement.id, exc_info=True)
        return values

    def _render_sms(self):
        todo = self.filtered(lambda statement: statement._wants("sms"))
        template = self.env.ref(SMS_TEMPLATE, raise_if_not_found=False)
        if not todo or not template or template.model != self._name:
            return {}
        try:
            with self.env.cr.savepoint():
                return template._render_field("body", todo.ids, compute_lang=True)
        except Exception:  # pylint: disable=broad-exception-caught
            _logger.warning("Statement SMS: batch rendering failed, one by one", exc_info=True)
        values = {}
        for statement in todo:
            try:
                with self.env.cr.savepoint():
                    values.update(template._render_field("body", statement.ids, compute_lang=True))
            except Exception:  # pylint: disable=broad-exception-caught
                _logger.warning("SMS of statement %s could not be rendered", statement.id, exc_info=True)
        return values

    def _get_blacklisted(self):
        """``(e-mails, phones)`` of these investors that are on the stock blacklists."""
        partners = self.partner_id.sudo()
        emails = [email for email in partners.mapped("email_normalized") if email]
        phones = [phone for phone in partners.mapped("phone_sanitized") if phone]
        mail_bl = self.env["mail.blacklist"].sudo().search([("email", "in", emails)]) if emails else []
        phone_bl = self.env["phone.blacklist"].sudo().search([("number", "in", phones)]) if phones else []
        return set(bl.email for bl in mail_bl), set(bl.number for bl in phone_bl)

    def _channels(self, blacklisted):
        """``{channel: (state, note)}`` for the channels the investor asked for
        ("email", "sms"): state "post" (to send; the SMS with the number as note)
        or "skipped" with the reason, in PI's language."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        emails_bl, phones_bl = blacklisted
        # the reasons are for PI's staff, in PI's language whoever sends (the cron is English)
        staff = self._in_pi_lang()
        channels = {}
        if self._wants("email"):
            if not partner.email_normalized:
                channels["email"] = ("skipped", staff.env._("Email: the investor has no email address."))
            elif partner.email_normalized in emails_bl:
                channels["email"] = ("skipped", staff.env._(
                    "Email: the address is on the blacklist (the investor unsubscribed)."))
            else:
                channels["email"] = ("post", None)
        if self._wants("sms"):
            number = partner.phone_sanitized
            if not number:
                channels["sms"] = ("skipped", staff.env._("SMS: the investor has no valid mobile number."))
            elif number in phones_bl:
                channels["sms"] = ("skipped", staff.env._(
                    "SMS: the number is on the blacklist (the investor refused SMS)."))
            else:
                channels["sms"] = ("post", number)
        return channels

    def _create_messages(self, mails, sms_bodies, blacklisted):
        """``{statement id: {channel: (message, values, notify kwargs)}}``: the
        e-mails and SMS of these statements created on their investors at once
        (one ``_message_create`` for the e-mails, one for the SMS) with the very
        values stock's ``message_post`` gives each (author, parent, alias domain,
        company, reply-to, attachment...), and ``pi_care_kind`` set as they are
        created; ``_deliver_one`` has stock notify each. ``{}`` when they cannot
        be created together (``_deliver_one`` then posts each with ``message_post``)."""
        try:
            with self.env.cr.savepoint():
                return self._create_messages_batch(mails, sms_bodies, blacklisted)
        except Exception:  # pylint: disable=broad-exception-caught  # each investor's own message_post then
            _logger.warning("Statement messages: batch creation failed, posting one by one", exc_info=True)
            return {}

    def _create_messages_batch(self, mails, sms_bodies, blacklisted):
        todo = {"email": [], "sms": []}
        for statement in self:
            channels = statement._channels(blacklisted)
            if channels.get("email", ("",))[0] == "post" and mails.get(statement.id):
                todo["email"].append(statement)
            if channels.get("sms", ("",))[0] == "post" and sms_bodies.get(statement.id):
                todo["sms"].append((statement, channels["sms"][1]))
        if not todo["email"] and not todo["sms"]:
            return {}
        Partner = self._poster().browse()._fallback_lang()
        partners = self.partner_id
        company = self.env.company
        # what message_post computes per message, once for the batch by the same stock methods
        alias_domains = partners.sudo()._mail_get_alias_domains(default_company=company)
        companies = partners._mail_get_companies(default=company)
        names = {partner.id: partner.display_name for partner in partners.sudo()}
        # res.partner threads are flat: a message's parent is the investor's first message
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT res_id, min(id) FROM mail_message WHERE model = %s AND res_id = ANY(%s) "
            "AND message_type != 'user_notification' GROUP BY res_id", [partners._name, partners.ids])
        first_message = dict(self.env.cr.fetchall())
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        template = self.env.ref(MAIL_TEMPLATE)
        posts = {}

        def common(statement, author, email_from):
            partner_id = statement.partner_id.id
            author_id, email_from = Partner._message_compute_author(author.id, email_from, raise_on_email=True)
            return {
                "email_add_signature": True,
                "record_name": names[partner_id],
                "author_id": author_id,
                "author_guest_id": False,
                "email_from": email_from,
                "model": partners._name,
                "res_id": partner_id,
                "parent_id": first_message.get(partner_id, False),
                "subtype_id": note,
                "partner_ids": [partner_id],
                "record_alias_domain_id": alias_domains[partner_id].id,
                "record_company_id": companies[partner_id].id,
                "pi_care_kind": "statement",
            }

        def create(entries):
            values_list = [values for _statement, _channel, values, _kwargs in entries]
            messages = Partner._message_create(values_list)
            for (statement, channel, values, kwargs), message in zip(entries, messages, strict=True):
                posts.setdefault(statement.id, {})[channel] = (message, values, kwargs)
                first_message.setdefault(statement.partner_id.id, message.id)

        entries = []
        for statement in todo["email"]:
            mail = mails[statement.id]
            values = common(statement, statement._get_author(),
                            mail.get("email_from") or statement.company_id.email_formatted or None)
            values.update({
                "body": escape(mail.get("body_html") or ""),
                "message_type": "comment",
                "subject": mail.get("subject") or statement._period_title() or False,
                "reply_to": mail.get("reply_to") or None,
                "email_layout_xmlid": "mail.mail_notification_light",
            })
            values.update(Partner._process_attachments_for_post([], statement.attachment_id.ids, values))
            entries.append((statement, "email", values,
                            {"force_send": False, "mail_auto_delete": template.auto_delete}))
        create(entries)
        entries = []
        reply_to = {}
        for statement, number in todo["sms"]:
            author = statement._get_author()
            values = common(statement, author, None)
            if author not in reply_to:
                reply_to[author] = statement.partner_id.browse(
                    [number_statement.partner_id.id for number_statement, _number in todo["sms"]]
                )._notify_get_reply_to(default=values["email_from"])
            body = sms_bodies[statement.id]
            values.update({
                "body": escape(sms_content_to_rendered_html(body)),
                "message_type": "sms",
                "subject": False,
                "reply_to": reply_to[author][statement.partner_id.id],
            })
            values.update(Partner._process_attachments_for_post([], [], values))
            entries.append((statement, "sms", values, {"sms_content": body, "sms_numbers": None,
                                                       "sms_pid_to_number": {statement.partner_id.id: number},
                                                       "put_in_queue": True}))
        create(entries)
        return posts

    def _discard_messages(self, posts):
        """Delete the messages created for this statement, which was not sent (its investor failed):
        no chatter entry for what did not go out. The engine's own messages, hence as superuser."""
        messages = self.env["mail.message"].concat(*(message for message, _values, _kwargs in (posts or {}).values()))
        try:
            with self.env.cr.savepoint():
                # their e-mails and notifications go with them (cascade), their SMS would not (notified in
                # batch, outside the investor's savepoint: see _notify_posted_batch)
                self.env["sms.sms"].sudo().search([("mail_message_id", "in", messages.ids)]).unlink()
                messages.sudo().unlink()
        except Exception:  # pylint: disable=broad-exception-caught  # the investor is marked failed all the same
            _logger.exception("Messages %s of statement %s could not be deleted", messages.ids, self.id)

    def _notify_posted_batch(self, posts):
        """The ids of the statements whose messages (``posts``, see
        ``_create_messages``) were notified here, for the whole batch at once:
        stock's notification of each (``_notify_thread``: the investor's
        recipients, the e-mail layout, web push) with the rows stock makes —
        ``mail.mail``, ``sms.sms``, ``mail.notification`` with the very values of
        ``_notify_thread_by_email`` and ``_notify_thread_by_sms`` — created with
        one ``create`` each for the batch rather than one per message.

        In one savepoint: when anything fails nothing of it is left and the empty
        set is answered (each investor's messages are then notified by stock in
        the investor's savepoint, ``_notify_posted``). A message with recipients
        other than partners without user notified by e-mail or SMS (an internal
        follower's inbox) is notified by stock's ``_notify_thread`` itself."""
        if not posts or self.env.context.get("mail_notify_force_send"):
            return set()  # stock sends such e-mails at once: left to it
        try:
            with self.env.cr.savepoint():
                return self._notify_posted_batch_rows(posts)
        except Exception:  # pylint: disable=broad-exception-caught  # each investor by stock, in its savepoint
            _logger.warning("Statement notifications: batch failed, notifying one by one", exc_info=True)
            return set()

    def _notify_posted_batch_rows(self, posts):
        notified = set()
        mails, sms_list = [], []  # (values to create, (message, recipient ids or None))
        batch_size = int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size")) or 50
        context = None
        for statement in self:
            partner = statement._poster()._fallback_lang()
            context = context or clean_context(partner.env.context)
            for message, values, kwargs in (posts.get(statement.id) or {}).values():
                partner._message_post_after_hook(message, values)
                recipients = partner._notify_get_recipients(message, values, **kwargs)
                if any(recipient["notif"] not in ("email", "sms") or recipient["uid"] for recipient in recipients):
                    partner._notify_thread(message, values, **kwargs)
                    continue
                # mail's _notify_thread_by_email, its mail.mail values
                email_data = [recipient for recipient in recipients if recipient["notif"] == "email"]
                if email_data:
                    base = partner._notify_by_email_get_base_mail_values(
                        message, additional_values={"auto_delete": kwargs.get("mail_auto_delete", True)})
                    for _lang, render_values, group in partner._notify_get_classified_recipients_iterator(
                            message, email_data, msg_vals=values):
                        body = partner._notify_by_email_render_layout(message, group, msg_vals=values,
                                                                      render_values=render_values)
                        recipient_ids = group.pop("recipients")
                        for chunk in split_every(batch_size, recipient_ids):
                            mails.append((partner._notify_by_email_get_final_mail_values(
                                chunk, base, additional_values={"body_html": body}), (message, list(chunk))))
                partner._notify_thread_by_web_push(message, recipients, values, **kwargs)
                # sms's _notify_thread_by_sms, its sms.sms values (no extra numbers, queued)
                sms_data = [recipient for recipient in recipients if recipient["notif"] == "sms"]
                if sms_data:
                    body = kwargs.get("sms_content") or html2plaintext(values["body"])
                    numbers = kwargs.get("sms_pid_to_number") or {}
                    for recipient in self.env["res.partner"].sudo().browse([data["id"] for data in sms_data]):
                        number = numbers.get(recipient.id) or recipient.mobile or recipient.phone
                        sms_list.append(({"body": body, "mail_message_id": message.id, "state": "outgoing",
                                          "partner_id": recipient.id,
                                          "number": recipient._phone_format(number=number) or number},
                                         (message, None)))
            notified.add(statement.id)
        notifications = []
        if mails:
            created = self.env(context=context)["mail.mail"].sudo().create([vals for vals, _key in mails])
            for mail, (_vals, (message, recipient_ids)) in zip(created, mails, strict=True):
                notifications += [{
                    "author_id": message.author_id.id,
                    "is_read": True,  # discard Inbox notification
                    "mail_mail_id": mail.id,
                    "mail_message_id": message.id,
                    "notification_status": "ready",
                    "notification_type": "email",
                    "res_partner_id": recipient_id,
                } for recipient_id in recipient_ids]
        if sms_list:
            created = self._poster().env["sms.sms"].sudo().create([vals for vals, _key in sms_list])
            for sms, (_vals, (message, _none)) in zip(created, sms_list, strict=True):
                notifications.append({
                    "author_id": message.author_id.id,
                    "mail_message_id": message.id,
                    "res_partner_id": sms.partner_id.id,
                    "sms_number": sms.number,
                    "notification_type": "sms",
                    "sms_id_int": sms.id,
                    "sms_tracker_ids": [Command.create({"sms_uuid": sms.uuid})] if sms.state == "outgoing" else False,
                    "is_read": True,  # discard Inbox notification
                    "notification_status": "ready" if sms.state == "outgoing" else "exception",
                    "failure_type": "" if sms.state == "outgoing" else sms.failure_type,
                })
        if notifications:
            self.env(context=context)["mail.notification"].sudo().create(notifications)
        return notified

    def _notify_posted(self, post):
        """Stock's notification of a message ``_create_messages`` made, as ``message_post`` does after creating it."""
        message, values, kwargs = post
        partner = self._poster()._fallback_lang()
        partner._message_post_after_hook(message, values)
        partner._notify_thread(message, values, **kwargs)
        return message

    def _deliver_one(self, mail_values, sms_body, blacklisted, posts=None, notified=False):
        """Send this statement's e-mail and SMS: notify the messages made for the
        batch (``posts``, see ``_create_messages``; already done when
        ``notified``, by ``_notify_posted_batch``), or post them (stock's
        ``message_post``) when there are none."""
        self.ensure_one()
        posts = posts or {}
        channels = self._channels(blacklisted)
        staff = self._in_pi_lang()
        vals = {"email_state": False, "sms_state": False, "mail_message_id": False, "sms_message_id": False}
        notes = []
        senders = {  # channel: (content, message field, post it alone, why it cannot be sent)
            "email": (mail_values, "mail_message_id", lambda _note: self._post_email(mail_values),
                      lambda: staff.env._("The email template could not be rendered for this investor.")),
            "sms": (sms_body, "sms_message_id", lambda number: self._post_sms(sms_body, number),
                    lambda: staff.env._("The SMS template could not be rendered for this investor.")),
        }
        for channel, (state, note) in channels.items():
            if state == "skipped":
                vals[f"{channel}_state"] = "skipped"
                notes.append(note)
                continue
            content, message_field, post_alone, missing = senders[channel]
            if not content:
                raise UserError(missing())
            if channel in posts:
                message = posts[channel][0] if notified else self._notify_posted(posts[channel])
            else:
                message = post_alone(note)
            vals.update({message_field: message.id, f"{channel}_state": "queued"})
        if self.partner_id.sudo().pi_statement_channel == "none":
            notes.append(staff.env._("The investor asked to receive no statements."))
        sent = "queued" in (vals["email_state"], vals["sms_state"])
        vals.update({
            "state": "sent" if sent else "skipped",
            "failure_reason": " ".join(notes) or False,
            "date_sent": fields.Datetime.now() if sent else False,
            "attempt_count": self.attempt_count + 1,
            "attempt_date": fields.Datetime.now(),
        })
        self._write_from_engine(vals)

    def _in_pi_lang(self):
        """These statements in PI's language (Vietnamese when installed): for what staff read."""
        lang = "vi_VN" if self.env["res.lang"]._get_code("vi_VN") else self.env.lang
        return self.with_context(lang=lang)

    def _get_author(self):
        """The company speaks to its investors, not the user (or OdooBot) who sends."""
        return self.company_id.partner_id

    def _poster(self):
        """The investor, to post on: nobody subscribed, the engine's marker (which
        alone may set ``pi_care_kind`` as the message is created)."""
        return self.partner_id.with_context(mail_post_autofollow=False, mail_create_nosubscribe=True,
                                            **statement_engine.engine_context())

    def _post_email(self, values):
        """The e-mail, posted on the investor (their chatter and PI's timeline),
        queued for the mail queue, with the statement's PDF (one by one: see
        ``_create_messages`` for a batch)."""
        self.ensure_one()
        partner = self._poster()
        template = self.env.ref(MAIL_TEMPLATE)
        return partner.message_post(
            body=values.get("body_html") or "",
            subject=values.get("subject") or self._period_title(),
            message_type="comment",
            # a note: the investor is its only recipient, the partner's followers get no copy
            subtype_xmlid="mail.mt_note",
            partner_ids=partner.ids,
            author_id=self._get_author().id,
            email_from=values.get("email_from") or self.company_id.email_formatted or None,
            reply_to=values.get("reply_to") or None,
            attachment_ids=self.attachment_id.ids,
            email_layout_xmlid="mail.mail_notification_light",
            force_send=False,
            mail_auto_delete=template.auto_delete,
            pi_care_kind="statement",  # set as it is created: what "Tin đã gửi" filters on
        )

    def _post_sms(self, body, number):
        """The SMS, posted on the investor and queued for the stock SMS queue
        (which PI's gateway sends)."""
        self.ensure_one()
        partner = self._poster()
        return partner._message_sms(
            body, partner_ids=partner.ids, sms_pid_to_number={partner.id: number},
            author_id=self._get_author().id, put_in_queue=True,
            # what the message was sent for ("Tin đã gửi" filters on it), set as it is created
            pi_care_kind="statement",
        )

    # ------------------------------------------------------------------ actions
    def action_download_pdf(self):
        """The stored PDF (as sent)."""
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(self.env._("This statement has no PDF yet: it is made when the run is sent."))
        return {"type": "ir.actions.act_url", "url": f"/web/content/{self.attachment_id.id}?download=true",
                "target": "self"}
