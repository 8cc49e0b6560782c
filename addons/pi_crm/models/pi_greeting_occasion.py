import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools import greeting_dates

_logger = logging.getLogger(__name__)

# PI greets in Vietnam's day: the cron runs at 08:00 there, and "today" is that day.
GREETING_TZ = "Asia/Ho_Chi_Minh"
# Kinds whose day is each partner's own date (pi_birthdate / pi_founding_date), not the occasion's.
PARTNER_DATE_FIELDS = {"birthday": "pi_birthdate", "founding": "pi_founding_date"}


class PiGreetingOccasion(models.Model):
    """A day PI greets its customers: their birthday, a company's founding day, or a holiday."""

    _name = "pi.greeting.occasion"
    _description = "Greeting Occasion"
    _order = "sequence, id"

    name = fields.Char(string="Occasion Name", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    kind = fields.Selection(
        [("birthday", "Birthday"), ("founding", "Company Founding Day"), ("holiday", "Holiday")],
        required=True, default="holiday",
        help="Birthday: each person on their birthdate (29/02 on 28/02 in other years). "
        "Company founding day: each corporate customer on its founding date. Holiday: everyone on the day below.")
    calendar = fields.Selection(
        [("solar", "Solar"), ("lunar", "Lunar")], required=True, default="solar",
        help="Lunar: the day of the Vietnamese lunar calendar (âm lịch), converted to its solar date each year.")
    day = fields.Integer(help="Day of the holiday (lunar days go up to 30).")
    month = fields.Integer(help="Month of the holiday.")
    next_date = fields.Date(
        compute="_compute_next_date", store=True,
        help="The next solar date on or after today on which the holiday falls; "
        "refreshed each day by the greetings cron. Empty for birthdays and founding days: each customer has their own.")
    channel = fields.Selection(
        [("sms", "SMS"), ("email", "Email"), ("both", "Email and SMS")], required=True, default="sms")
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template",
        domain=[("model", "=", "res.partner"), ("pi_greeting", "=", True)])
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS Template",
        domain=[("model", "=", "res.partner"), ("pi_greeting", "=", True)])
    audience = fields.Selection(
        [("all", "All Customers"), ("investors", "Investors with an Active Contract"), ("segment", "A Segment")],
        required=True, default="all")
    segment = fields.Selection(
        selection="_selection_segment",
        help="The customers' segment (Customers › Segment) greeted when the audience is a segment.")
    log_ids = fields.One2many("pi.greeting.log", "occasion_id", string="Greetings Sent")
    log_count = fields.Integer(compute="_compute_log_count", string="Greetings")

    @api.model
    def _selection_segment(self):
        return self.env["res.partner"]._fields["pi_segment"]._description_selection(self.env)

    @api.depends("kind", "calendar", "day", "month")
    def _compute_next_date(self):
        today = self.env.context.get("pi_greeting_date") or self._pi_today()
        for occasion in self:
            occasion.next_date = occasion._pi_next_date(today)

    def _compute_log_count(self):
        counts = dict(self.env["pi.greeting.log"]._read_group(
            [("occasion_id", "in", self.ids)], ["occasion_id"], ["__count"]))
        for occasion in self:
            occasion.log_count = counts.get(occasion, 0)

    @api.constrains("kind", "calendar", "day", "month")
    def _check_day_month(self):
        for occasion in self:
            if occasion.kind in PARTNER_DATE_FIELDS:
                if occasion.day or occasion.month or occasion.calendar != "solar":
                    raise ValidationError(self.env._(
                        "%(occasion)s: birthdays and founding days fall on each customer's own date "
                        "(solar calendar): leave the day and the month empty.", occasion=occasion.name))
                continue
            try:
                greeting_dates.check_day_month(occasion.day, occasion.month, occasion.calendar)
            except ValueError as error:
                if error.args[0] == "invalid_month":
                    raise ValidationError(self.env._(
                        "%(occasion)s: the month must be between 1 and 12.", occasion=occasion.name)) from None
                if occasion.calendar == "lunar":
                    raise ValidationError(self.env._(
                        "%(occasion)s: a lunar day is between 1 and 30.", occasion=occasion.name)) from None
                raise ValidationError(self.env._(
                    "%(occasion)s: %(day)s/%(month)s is not a day of the solar calendar.",
                    occasion=occasion.name, day=occasion.day, month=occasion.month)) from None

    @api.constrains("channel", "mail_template_id", "sms_template_id", "audience", "segment")
    def _check_channel_templates(self):
        for occasion in self:
            if occasion.channel in ("sms", "both") and not occasion.sms_template_id:
                raise ValidationError(self.env._(
                    "%(occasion)s: choose the SMS template it sends.", occasion=occasion.name))
            if occasion.channel in ("email", "both") and not occasion.mail_template_id:
                raise ValidationError(self.env._(
                    "%(occasion)s: choose the email template it sends.", occasion=occasion.name))
            templates = (occasion.sudo().mail_template_id, occasion.sudo().sms_template_id)
            if any(template and template.model != "res.partner" for template in templates):
                raise ValidationError(self.env._(
                    "%(occasion)s: greeting templates are written for contacts.", occasion=occasion.name))
            if occasion.audience == "segment" and not occasion.segment:
                raise ValidationError(self.env._(
                    "%(occasion)s: choose the segment it greets.", occasion=occasion.name))

    # ------------------------------------------------------------ ACTIONS
    def action_open_logs(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_crm.pi_greeting_log_action")
        action["domain"] = [("occasion_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------ BUSINESS
    @api.model
    def _pi_today(self):
        """Today in Vietnam, whatever the server's or the user's time zone."""
        return fields.Date.context_today(self.with_context(tz=GREETING_TZ))

    def _pi_next_date(self, start):
        """The first date on or after ``start`` on which this holiday falls (False for personal dates)."""
        self.ensure_one()
        if self.kind in PARTNER_DATE_FIELDS:
            return False
        try:
            return greeting_dates.next_date(self.day, self.month, self.calendar, start)
        except ValueError:
            return False  # refused by the constraint; nothing to show while being typed

    def _pi_is_due(self, today):
        self.ensure_one()
        return self.kind in PARTNER_DATE_FIELDS or self._pi_next_date(today) == today

    def _get_greeting_audience_domain(self, today):
        """Partners this occasion greets on ``today`` (before the ones already greeted this year are dropped)."""
        self.ensure_one()
        # customers: not PI's staff (users), not PI's own companies (a handful)
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        domain = [("active", "=", True), ("user_ids", "=", False), ("id", "not in", companies.partner_id.ids)]
        if self.company_id:
            domain += [("company_id", "in", [self.company_id.id, False])]
        if self.audience == "investors":
            domain += [("commercial_partner_id.pi_segment", "in", ("member", "loyal"))]
        elif self.audience == "segment":
            domain += [("commercial_partner_id.pi_segment", "=", self.segment)]
        date_field = PARTNER_DATE_FIELDS.get(self.kind)
        if date_field:
            domain += [("is_company", "=", self.kind == "founding"),
                       ("id", "in", self._pi_partners_with_anniversary(date_field, today))]
        return domain

    def _pi_partners_with_anniversary(self, date_field, today):
        """Ids of the partners whose ``date_field`` has its anniversary on ``today``
        (29/02 on 28/02 in common years)."""
        days = greeting_dates.anniversary_days(today)
        # a date's day and month are no ORM domain: one scan of the dated partners
        self.env["res.partner"].flush_model([date_field])
        self.env.cr.execute(
            f"""SELECT id FROM res_partner WHERE {date_field} IS NOT NULL
                AND (EXTRACT(DAY FROM {date_field})::int, EXTRACT(MONTH FROM {date_field})::int) IN %s""",  # noqa: S608
            [tuple(days)])
        return [row[0] for row in self.env.cr.fetchall()]

    def _get_greeting_todo_domain(self, today):
        """The audience of ``today`` without the partners already greeted (or tried) this year."""
        logged = self.env["pi.greeting.log"]._search(
            [("occasion_id", "=", self.id), ("year", "=", today.year)])
        return self._get_greeting_audience_domain(today) + [("id", "not in", logged.subselect("partner_id"))]

    @api.model
    def _cron_send_greetings(self, date_ref=None, batch_size=200):
        """Greet the partners of each occasion due today, ``batch_size`` at most per call.

        Each partner gets at most one greeting per occasion and year: the log
        row (unique per partner, occasion and year) is written with the sending,
        in one savepoint per partner, so a rerun, a second worker or a worker
        killed halfway never sends twice (a killed batch leaves neither its log
        rows nor its queued messages).
        """
        if not self.env.su:
            # the cron runs as superuser; nobody sends the greetings of a day by hand
            # (private, so no RPC client reaches it either)
            raise AccessError(self.env._("The greetings are sent by the daily greetings job only."))
        today = date_ref or self._pi_today()
        occasions = self.search([("active", "=", True)])
        occasions.with_context(pi_greeting_date=today)._compute_next_date()
        Partner = self.env["res.partner"].with_context(active_test=False)
        done = remaining = 0
        for occasion in occasions.filtered(lambda occasion: occasion._pi_is_due(today)):
            domain = occasion._get_greeting_todo_domain(today)
            partners = Partner.search(domain, limit=max(batch_size - done, 0), order="id") if done < batch_size \
                else Partner
            for partner in partners:
                occasion._pi_greet(partner, today)
            done += len(partners)
            remaining += Partner.search_count(domain)
        if done:
            # the SMS and emails were queued: their queues run now, not at their next hour
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _pi_greet(self, partner, today):
        """Greet ``partner`` once for this occasion in ``today``'s year; a failure is logged with its reason."""
        self.ensure_one()
        Log = self.env["pi.greeting.log"]
        values = {"partner_id": partner.id, "occasion_id": self.id, "year": today.year, "date": today}
        try:
            with self.env.cr.savepoint():
                log = Log.create(dict(values, state="sent"))
                log.write(self._pi_send_greeting(partner))
        except psycopg2.IntegrityError:
            _logger.info("Greeting %s of %s for %s already logged", self.id, today.year, partner.id)
        except Exception as error:  # pylint: disable=broad-exception-caught  # one partner must not stop the others
            _logger.exception("Greeting %s to partner %s failed", self.id, partner.id)
            Log.create(dict(values, state="failed", reason=str(error)[:500]))

    def _pi_send_greeting(self, partner):
        """Send this occasion's greeting to ``partner`` on its channels and log it on
        the partner's timeline; return the log values (channel sent, state, reason)."""
        self.ensure_one()
        templates = (self.mail_template_id, self.sms_template_id)
        if any(template and template.model != "res.partner" for template in templates):
            # a template re-aimed at another model would print that model's record with the partner's id
            raise ValidationError(self.env._("The greeting templates of %(occasion)s are no longer written for "
                                             "contacts.", occasion=self.name))
        send_sms = self.channel in ("sms", "both")
        send_mail = self.channel in ("email", "both")
        reasons = []
        number = False
        if send_sms:
            number = partner._sms_get_recipients_info()[partner.id]["sanitized"]
            if not number:
                reasons.append(self.env._("no mobile phone"))
            elif self.env["phone.blacklist"].sudo().search_count([("number", "=", number)], limit=1):
                reasons.append(self.env._("phone blacklisted"))
            send_sms = bool(number) and not reasons
        if send_mail:
            if not partner.email_normalized:
                reasons.append(self.env._("no email"))
                send_mail = False
            elif self.env["mail.blacklist"].sudo().search_count([("email", "=", partner.email_normalized)], limit=1):
                reasons.append(self.env._("email blacklisted"))
                send_mail = False
        messages = self.env["mail.message"]
        if send_sms:
            messages |= self._pi_send_greeting_sms(partner, number)
        if send_mail:
            messages |= self._pi_send_greeting_mail(partner)
        # what the message was for: "Tin đã gửi" filters on it, the timeline shows it
        messages.write({"pi_care_kind": "greeting", "pi_greeting_occasion_id": self.id})
        channel = "both" if send_sms and send_mail else "sms" if send_sms else "email" if send_mail else False
        return {
            "channel": channel,
            "state": "sent" if channel else "skipped",
            "reason": ", ".join(reasons) or False,
            "message_ids": [fields.Command.set(messages.ids)],
        }

    def _pi_send_greeting_sms(self, partner, number):
        # the template holds placeholders only unless a template editor (the
        # full-rights administrator) wrote it: stock refuses any other save
        # (mail.render.mixin._check_access_right_dynamic_template)
        return partner._message_sms_with_template(
            template=self.sms_template_id, partner_ids=partner.ids,
            sms_pid_to_number={partner.id: number}, put_in_queue=True)

    def _pi_send_greeting_mail(self, partner):
        template = self.mail_template_id
        rendered = template._generate_template(partner.ids, ("subject", "body_html"))[partner.id]
        company = self.company_id or self.env.company
        # from the company when it has an address, else from the job's user (OdooBot)
        author = company.partner_id if company.email else self.env.user.partner_id
        return partner.message_post(
            body=rendered["body_html"], subject=rendered["subject"], partner_ids=partner.ids,
            message_type="comment", subtype_xmlid="mail.mt_note", author_id=author.id,
            email_from=author.email_formatted, email_layout_xmlid="mail.mail_notification_light",
            force_send=False)
