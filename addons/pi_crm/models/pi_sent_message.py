from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

# The documents whose e-mails and SMS are customer messages: the customer and the lead
# themselves, and pi_contracts' records of a customer (their chatter notifies the investor).
CUSTOMER_MODELS = ("res.partner", "crm.lead", "pi.investment.contract", "pi.investment.statement")
# notification_status of stock mail.notification that "Gửi lại" resends (as stock's resend wizards)
FAILED_STATUSES = ("exception", "bounce")


class PiSentMessage(models.Model):
    """"Tin đã gửi": every e-mail and SMS sent to a customer, one line per recipient.

    A read-only SQL view over what stock already records (``mail.notification`` of type
    email / sms and its ``mail.message``), nothing copied. The line's state reads the
    stock notification status: for SMS ``pending`` is "accepted by the gateway" and
    ``sent`` "delivered" (PI's gateway and IAP write them so, ``sms.tracker``); an e-mail
    is ``sent`` once the mail server took it, stock knows no later delivery.
    """

    # A view of its own rather than an action on mail.notification: stock lets every
    # employee read every notification (no read rule) and has no customer or consultant
    # column there, while this view carries both, so one record rule and one query per list.
    _name = "pi.sent.message"
    _description = "Sent Message"
    _auto = False
    _order = "id desc"  # the notification's id: its primary key, so a page is an index scan
    _rec_name = "summary"
    # what the view reads: flushed before every query on it
    _depends = {
        "mail.notification": [
            "mail_message_id", "res_partner_id", "notification_type", "notification_status", "failure_type",
            "failure_reason", "sms_number",
        ],
        "mail.message": [
            "date", "subject", "body", "model", "res_id", "record_name", "record_company_id", "author_id",
            "pi_care_kind", "pi_greeting_occasion_id",
        ],
        "crm.lead": ["user_id", "partner_id"],
        "res.partner": ["user_id", "commercial_partner_id", "email", "partner_share"],
    }

    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    user_id = fields.Many2one("res.users", string="Consultant", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], readonly=True)
    recipient = fields.Char(string="Sent To", readonly=True)
    summary = fields.Char(string="Subject", readonly=True)
    body = fields.Html(string="Text", readonly=True, sanitize=False)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Received"),  # delivered to the phone (SMS delivery report)
            ("failed", "Failed"),
            ("canceled", "Cancelled"),
        ],
        readonly=True,
    )
    failure_type = fields.Selection(selection="_selection_failure_type", string="Error Type", readonly=True)
    failure_reason = fields.Text(readonly=True)
    care_kind = fields.Selection(selection="_selection_care_kind", string="Sent For", readonly=True)
    occasion_id = fields.Many2one("pi.greeting.occasion", readonly=True)
    author_id = fields.Many2one("res.partner", string="Sent By", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", readonly=True)
    record_name = fields.Char(string="Document", readonly=True)
    notification_id = fields.Many2one("mail.notification", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)

    def _selection_failure_type(self):
        # stock's failure types (mail, sms, PI's gateway), with their translated labels
        return self.env["mail.notification"]._fields["failure_type"]._description_selection(self.env)

    def _selection_care_kind(self):
        return self.env["mail.message"]._fields["pi_care_kind"]._description_selection(self.env)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
            SELECT n.id AS id,
                   n.id AS notification_id,
                   m.id AS message_id,
                   m.date AS date,
                   customer.id AS partner_id,
                   lead.id AS lead_id,
                   COALESCE(lead.user_id, customer.user_id, commercial.user_id) AS user_id,
                   m.record_company_id AS company_id,
                   n.notification_type AS channel,
                   CASE WHEN n.notification_type = 'sms' THEN n.sms_number ELSE customer.email END AS recipient,
                   COALESCE(NULLIF(m.subject, ''),
                            LEFT(regexp_replace(m.body::text, '<[^>]*>', '', 'g'), 160)) AS summary,
                   m.body AS body,
                   CASE WHEN n.notification_status IN ('ready', 'process') THEN 'queued'
                        WHEN n.notification_status = 'pending' THEN 'sent'
                        WHEN n.notification_status = 'sent' AND n.notification_type = 'sms' THEN 'delivered'
                        WHEN n.notification_status = 'sent' THEN 'sent'
                        WHEN n.notification_status IN %(failed)s THEN 'failed'
                        ELSE 'canceled' END AS state,
                   CASE WHEN n.notification_status IN %(failed)s THEN n.failure_type END AS failure_type,
                   CASE WHEN n.notification_status IN %(failed)s THEN n.failure_reason END AS failure_reason,
                   m.pi_care_kind AS care_kind,
                   m.pi_greeting_occasion_id AS occasion_id,
                   m.author_id AS author_id,
                   m.model AS res_model,
                   m.res_id AS res_id,
                   m.record_name AS record_name
              FROM mail_notification n
              JOIN mail_message m ON m.id = n.mail_message_id
         LEFT JOIN crm_lead lead ON m.model = 'crm.lead' AND lead.id = m.res_id
         LEFT JOIN res_partner customer
                   ON customer.id = COALESCE(n.res_partner_id,
                                             CASE WHEN m.model = 'res.partner' THEN m.res_id END,
                                             lead.partner_id)
         LEFT JOIN res_partner commercial ON commercial.id = customer.commercial_partner_id
             WHERE n.notification_type IN ('email', 'sms')
               AND m.model IN %(models)s
               AND (customer.id IS NOT NULL OR lead.id IS NOT NULL)
               -- staff notified of a customer's document are not a message to the customer
               AND customer.partner_share IS NOT FALSE
            )""",
            {"failed": FAILED_STATUSES, "models": CUSTOMER_MODELS},
        )

    # ------------------------------------------------------------ ACTIONS
    def action_open_document(self):
        """Open the customer, lead or contract the message was sent from."""
        self.ensure_one()
        if not self.res_model or not self.res_id:
            raise UserError(self.env._("This message is not linked to a document."))
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access("read")  # a public method: the document, not only the line, must be readable
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_retry(self):
        """"Gửi lại": resend the failed lines through stock's resend paths (SMS: a new
        ``sms.sms`` on the same notification, as ``sms.resend``; e-mail: a new
        ``mail.mail`` on the same notification, as ``mail.resend.message``). Lines that
        are not failed (queued, sent, delivered, or resent meanwhile) are skipped, never
        sent twice. Returns a notification counting both."""
        retried = self._pi_retry_failed()
        skipped = len(self) - len(retried)
        failed_again = len(retried.filtered(lambda n: n.notification_status in FAILED_STATUSES))
        if retried:
            message = self.env._("%(count)s failed message(s) sent again.", count=len(retried))
            kind = "warning" if failed_again else "success"
        else:
            message = self.env._("Nothing to send again: only failed messages can be sent again.")
            kind = "warning"
        if failed_again:
            message += " " + self.env._("%(count)s failed again: see the reason.", count=failed_again)
        if retried and skipped:
            message += " " + self.env._("%(count)s not failed, left as they are.", count=skipped)
        self.invalidate_recordset()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Send Again"),
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------ BUSINESS
    def _pi_retry_failed(self):
        """Resend the failed lines of ``self``; returns their notifications that were resent."""
        # the caller's rights, checked here since the method is reachable over RPC:
        # the lines (record rules: their own customers), then each message's document
        self.check_access("read")
        if not self:
            return self.env["mail.notification"]
        # lock the notifications: a second click (or a colleague) waits, then sees them resent
        self.env["mail.notification"].flush_model(["notification_status", "notification_type"])
        self.env.cr.execute(
            """SELECT id FROM mail_notification
                WHERE id IN %s AND notification_status IN %s AND notification_type IN ('email', 'sms')
                  FOR UPDATE""",
            [tuple(self.ids), FAILED_STATUSES],
        )
        failed_ids = [row[0] for row in self.env.cr.fetchall()]
        if not failed_ids:
            return self.env["mail.notification"]
        notifications = self.env["mail.notification"].browse(failed_ids)
        by_message = defaultdict(lambda: self.env["mail.notification"])
        for notification in notifications:
            by_message[notification.mail_message_id] |= notification
        for message in by_message:
            message.check_access("read")
            if not message.model or not message.res_id:
                raise UserError(self.env._("You do not have access to the message and/or related document."))
            # as stock's sms.resend: whoever resends must read the document
            self.env[message.model].browse(message.res_id).check_access("read")
        sent_with = {n.id: (n.sms_id_int, n.mail_mail_id.id) for n in notifications}
        for message, message_notifications in by_message.items():
            # the document's own notification methods, or mail.thread's (a model without chatter)
            record = self.env[message.model].browse(message.res_id)
            thread = record if message.is_thread_message() else self.env["mail.thread"]
            sms = message_notifications.filtered(lambda n: n.notification_type == "sms")
            emails = message_notifications - sms
            if sms:
                self._pi_resend_sms(thread, message, sms)
            if emails:
                self._pi_resend_emails(thread, message, emails)
            message._notify_message_notification_update()
        notifications.invalidate_recordset(["sms_id_int", "mail_mail_id", "notification_status"])
        # resent: stock put a new SMS or e-mail on the notification
        return notifications.filtered(lambda n: (n.sms_id_int, n.mail_mail_id.id) != sent_with[n.id])

    @api.model
    def _pi_resend_sms(self, thread, message, notifications):
        """Stock ``sms.resend.action_resend`` for these notifications: a new SMS (new uuid,
        so the gateway takes it as a new message) on each of them, sent now."""
        old_sms_ids = notifications.mapped("sms_id_int")
        with_partner = notifications.filtered("res_partner_id")
        pid_to_number = {n.res_partner_id.id: n.sms_number for n in with_partner}
        numbers = (notifications - with_partner).mapped("sms_number")
        recipients = self.env["mail.followers"]._get_recipient_data(
            thread or None, "sms", False, pids=list(pid_to_number))
        recipients = next(iter(recipients.values()), {})  # keyed by the one document (or 0)
        recipients_data = [data for pid, data in recipients.items() if pid and data["notif"] == "sms"]
        thread._notify_thread_by_sms(
            message, recipients_data, sms_numbers=numbers, sms_pid_to_number=pid_to_number,
            resend_existing=True, put_in_queue=False,
        )
        # the failed SMS each line pointed at is superseded: stock's "Retry" on the SMS
        # list must not send it a second time (sms.sms is a system model)
        self.env["sms.sms"].sudo().browse(old_sms_ids).exists().filtered(
            lambda s: s.state == "error").write({"to_delete": True})

    @api.model
    def _pi_resend_emails(self, thread, message, notifications):
        """Stock ``mail.resend.partner.action_resend`` for these notifications: a new
        e-mail on each of them, sent once this transaction is committed."""
        old_mails = notifications.mail_mail_id
        recipients = self.env["mail.followers"]._get_recipient_data(
            None, "comment", False, pids=notifications.res_partner_id.ids)[0]
        recipients_data = [data for pid, data in recipients.items() if pid and data.get("notif", "email") == "email"]
        thread._notify_thread_by_email(message, recipients_data, resend_existing=True)
        # the failed e-mails no line points at any more are superseded: cancel them so
        # stock's "Retry" on the e-mail list cannot send them again (mail.mail is a system model)
        still_used = self.env["mail.notification"].sudo().search([("mail_mail_id", "in", old_mails.ids)])
        (old_mails.sudo().exists() - still_used.mail_mail_id).filtered(
            lambda mail: mail.state == "exception").cancel()
