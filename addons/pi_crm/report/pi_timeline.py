from odoo import fields, models

from ..tools import consultation


class PiTimeline(models.Model):
    """Everything that happened with a customer, one line per recipient.

    A read-only SQL view over the records Odoo already keeps, nothing copied:

    - ``pi.interaction``: calls, meetings, ... logged by consultants, and the
      emails sent to a lead's customer from its chatter (with the email's status);
    - ``mail.notification`` of type email / sms: each other email or SMS sent
      from a chatter (lead, customer, contract, ...) to a customer, one line per
      recipient (``sms.sms`` rows are deleted once sent; the notification stays);
    - ``mail.message`` of type email received from a customer on a lead or a
      customer (inbound emails have no notification);
    - ``mailing.trace``: each recipient of an email or SMS marketing campaign
      sent to customers or leads.
    """

    _name = "pi.timeline"
    _description = "Customer Timeline"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "summary"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [
            ("interaction", "Interaction"),
            ("email", "Email"),
            ("sms", "SMS"),
            ("mass_email", "Email campaign"),
            ("mass_sms", "SMS campaign"),
        ],
        readonly=True,
    )
    channel = fields.Selection(consultation.CHANNELS, readonly=True)
    direction = fields.Selection(consultation.DIRECTIONS, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    summary = fields.Text(readonly=True)
    customer_response = fields.Text(readonly=True)
    result_id = fields.Many2one("pi.interaction.result", readonly=True)
    points = fields.Integer(readonly=True)
    # the states of stock notifications and campaign traces, under one set of values
    status = fields.Selection(
        [
            ("ready", "Waiting to be sent"),
            ("process", "Processing"),
            ("pending", "Sent"),
            ("sent", "Delivered"),
            ("open", "Opened"),
            ("reply", "Replied"),
            ("bounce", "Bounced"),
            ("exception", "Sending failed"),
            ("canceled", "Cancelled"),
        ],
        readonly=True,
    )
    interaction_id = fields.Many2one("pi.interaction", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)
    mailing_id = fields.Many2one("mailing.mailing", string="Campaign", readonly=True)

    @property
    def _table_query(self):
        # ids: source record id * 10 + a digit per source, stable and unique.
        return """
          SELECT * FROM (
            SELECT i.id * 10 + 1 AS id, 'interaction' AS kind, i.date, i.channel, i.direction,
                   i.partner_id, i.lead_id, i.user_id, i.summary, i.customer_response,
                   i.result_id, i.points,
                   (SELECT n.notification_status FROM mail_notification n
                     WHERE n.mail_message_id = i.mail_message_id AND n.res_partner_id = i.partner_id
                     LIMIT 1)::varchar AS status,
                   i.id AS interaction_id, i.mail_message_id AS message_id, NULL::integer AS mailing_id
              FROM pi_interaction i
             UNION ALL
            SELECT n.id * 10 + 2, n.notification_type, m.date, n.notification_type, 'out',
                   COALESCE(n.res_partner_id,
                            CASE WHEN m.model = 'res.partner' THEN m.res_id END,
                            lead.partner_id),
                   lead.id, m.create_uid,
                   COALESCE(NULLIF(m.subject, ''), LEFT(regexp_replace(m.body::text, '<[^>]*>', '', 'g'), 500)),
                   NULL, NULL, NULL, n.notification_status, NULL, m.id, NULL
              FROM mail_notification n
              JOIN mail_message m ON m.id = n.mail_message_id
         LEFT JOIN crm_lead lead ON m.model = 'crm.lead' AND lead.id = m.res_id
             WHERE n.notification_type IN ('email', 'sms')
               AND NOT EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = n.res_partner_id AND u.share IS NOT TRUE)
               AND NOT EXISTS (SELECT 1 FROM pi_interaction i
                                WHERE i.mail_message_id = m.id AND i.partner_id = n.res_partner_id)
             UNION ALL
            SELECT m.id * 10 + 3, 'email', m.date, 'email', 'in',
                   m.author_id, lead.id, NULL,
                   COALESCE(NULLIF(m.subject, ''), LEFT(regexp_replace(m.body::text, '<[^>]*>', '', 'g'), 500)),
                   NULL, NULL, NULL, NULL, NULL, m.id, NULL
              FROM mail_message m
         LEFT JOIN crm_lead lead ON m.model = 'crm.lead' AND lead.id = m.res_id
             WHERE m.message_type = 'email' AND m.model IN ('crm.lead', 'res.partner')
               AND m.author_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM res_users u
                                WHERE u.partner_id = m.author_id AND u.share IS NOT TRUE)
             UNION ALL
            SELECT t.id * 10 + 4, CASE WHEN t.trace_type = 'sms' THEN 'mass_sms' ELSE 'mass_email' END,
                   COALESCE(t.sent_datetime, t.create_date),
                   CASE WHEN t.trace_type = 'sms' THEN 'sms' ELSE 'email' END, 'out',
                   CASE WHEN t.model = 'res.partner' THEN t.res_id ELSE lead.partner_id END,
                   lead.id, mailing.user_id, COALESCE(mailing.subject, t.pi_subject),
                   NULL, NULL, NULL,
                   CASE t.trace_status WHEN 'error' THEN 'exception' WHEN 'cancel' THEN 'canceled'
                                       WHEN 'outgoing' THEN 'ready' ELSE t.trace_status END,
                   NULL, NULL, t.mass_mailing_id
              FROM mailing_trace t
         LEFT JOIN mailing_mailing mailing ON mailing.id = t.mass_mailing_id
         LEFT JOIN crm_lead lead ON t.model = 'crm.lead' AND lead.id = t.res_id
             WHERE t.model IN ('res.partner', 'crm.lead')
               AND (t.mass_mailing_id IS NOT NULL OR t.pi_on_timeline)
          ) AS timeline
          WHERE timeline.partner_id IS NOT NULL OR timeline.lead_id IS NOT NULL
        """

    def action_open_source(self):
        """Open the record the line comes from: the interaction, or the document
        the email / SMS was sent from."""
        self.ensure_one()
        if self.interaction_id:
            model, res_id = "pi.interaction", self.interaction_id.id
        elif self.message_id.model and self.message_id.res_id:
            model, res_id = self.message_id.model, self.message_id.res_id
        elif self.lead_id:
            model, res_id = "crm.lead", self.lead_id.id
        else:
            model, res_id = "res.partner", self.partner_id.id
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _action_open(self, domain, title):
        self.check_access("read")  # staff only: the buttons are callable over RPC
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timeline: %(name)s", name=title),
            "res_model": "pi.timeline",
            "view_mode": "list,pivot,graph",
            "domain": domain,
            "context": {"create": False},
        }
