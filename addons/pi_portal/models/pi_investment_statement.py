import datetime
import io
import logging

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo import api, fields, models
from odoo.tools import format_amount, format_date
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)

# A font with Vietnamese letters and "₫" that ships with Odoo itself (the
# standard PDF fonts have neither), for the demo statement's PDF.
DEMO_FONT = ("PiNotoSans", "web/static/fonts/sign/NotoSans-Reg.ttf")


class PiInvestmentStatement(models.Model):
    _inherit = "pi.investment.statement"

    # Why a sending failed is the office's business, never shown to the investor (even over RPC).
    failure_reason = fields.Char(groups="base.group_user")

    # ------------------------------------------------------------------ portal
    @api.model
    def _portal_domain(self, partner):
        """The statements the investor ``partner`` sees in the portal: the sent
        ones of their commercial partner (the statement's ``partner_id`` is
        always a commercial partner; pending, failed or skipped ones are the
        office's)."""
        return [("partner_id", "=", partner.commercial_partner_id.id), ("state", "=", "sent")]

    def _portal_totals(self):
        """``{statement id: {'value', 'profit_to_date', 'profit_period', 'count'}}``, summed over the lines."""
        result = {}
        for statement in self.sudo():
            lines = statement.line_ids
            result[statement.id] = {
                "value": sum(lines.mapped("value")),
                "profit_to_date": sum(lines.mapped("profit_to_date")),
                "profit_period": sum(lines.mapped("profit_period")),
                "count": len(lines),
            }
        return result

    def _portal_pdf_url(self):
        self.ensure_one()
        return f"/my/statements/{self.id}/pdf"

    def _portal_pdf_filename(self):
        """``Sao kê 16-11-2026 - 22-11-2026.pdf`` in the investor's language."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        return env._("Statement %(date_from)s - %(date_to)s.pdf",
                     date_from=format_date(env, self.date_from).replace("/", "-"),
                     date_to=format_date(env, self.date_to).replace("/", "-"))

    # ------------------------------------------------------------------ demo
    @api.model
    def _demo_create_sent(self, partner_ids, date_to=None):
        """Demo data: last week's statement of each investor of ``partner_ids``,
        sent, with its lines (from ``compute_payout``) and a one-page PDF.

        Keeps an existing run or statement of that week (the statement engine
        may have made it already): the demo never breaks "one per period".
        """
        date_to = fields.Date.to_date(date_to) if date_to else fields.Date.context_today(self)
        # The last Sunday before ``date_to`` closes the demo week (Monday to Sunday).
        date_to -= datetime.timedelta(days=date_to.weekday() + 1)
        Run = self.env["pi.statement.run"]
        run = Run.search([("company_id", "=", self.env.company.id), ("period", "=", "weekly"),
                          ("date_to", "=", date_to)], limit=1)
        if not run:
            run = Run.create({"period": "weekly", "date_to": date_to})
        statements = self.browse()
        for partner in self.env["res.partner"].browse(partner_ids).commercial_partner_id:
            statement = self.search([("partner_id", "=", partner.id), ("period", "=", "weekly"),
                                     ("date_to", "=", date_to)], limit=1)
            if not statement:
                statement = self._demo_create_one(run, partner)
            statements |= statement
        return statements

    def _demo_create_one(self, run, partner):
        # the engine makes the statement and its figures (the money rule); the demo
        # only gives it a one-page PDF and marks it sent, through the engine's marker
        statement = self._create_for_run(run, partner.ids)
        attachment = self.env["ir.attachment"].create({
            "name": statement._portal_pdf_filename(), "mimetype": "application/pdf",
            "res_model": self._name, "res_id": statement.id, "raw": statement._demo_pdf()})
        statement._write_from_engine({"state": "sent", "attachment_id": attachment.id,
                                      "date_sent": fields.Datetime.now()})
        return statement

    def _demo_pdf(self):
        """A one-page PDF of the statement, in the investor's language (1.662.000.000 ₫, 22/11/2026)."""
        self.ensure_one()
        statement = self.with_context(lang=self.partner_id.lang or self.env.lang)
        env = statement.env
        vnd = env.ref("base.VND")
        font = "Helvetica"
        try:
            if DEMO_FONT[0] not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(DEMO_FONT[0], file_path(DEMO_FONT[1])))
            font = DEMO_FONT[0]
        except (OSError, ValueError) as error:  # the demo PDF still prints, without Vietnamese letters
            _logger.info("Demo statement font not available: %s", error)
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setFont(font, 14)
        pdf.drawString(72, 770, env._("Passion Investment - Investment statement"))
        pdf.setFont(font, 10)
        pdf.drawString(72, 750, statement.partner_id.name)
        pdf.drawString(72, 735, env._("From %(date_from)s to %(date_to)s",
                                      date_from=format_date(env, statement.date_from),
                                      date_to=format_date(env, statement.date_to)))
        top = 705
        for line in statement.line_ids:
            pdf.drawString(72, top, line.contract_id.name)
            for offset, label, amount in ((15, env._("Value"), line.value),
                                          (30, env._("Profit to date"), line.profit_to_date),
                                          (45, env._("Profit over the period"), line.profit_period)):
                pdf.drawString(90, top - offset, f"{label}: {format_amount(env, amount, vnd)}")
            top -= 65
        pdf.save()
        return buffer.getvalue()
