import logging
from collections import Counter

from odoo import api, fields, models

from ..tools import marketing_care

_logger = logging.getLogger(__name__)

# written only by the open and click tracking and by the computes (see write())
CARE_FIELDS = ("pi_last_open_date", "pi_last_click_date", "pi_open_count", "pi_click_count", "pi_needs_care",
               "pi_care_activity_id")
# the introduction email template of each model
INTRO_TEMPLATES = {"crm.lead": "pi_crm.mail_template_intro", "res.partner": "pi_crm.mail_template_intro_partner"}


class PiCareMixin(models.AbstractModel):
    """What opens and clicks of PI's emails tell about a lead or a customer.

    Inherited through ``pi.customer.mixin`` by ``crm.lead`` and ``res.partner``.
    ``mailing.trace`` (PI's own traces of the intro, nurture and statement emails,
    and stock campaign traces alike) calls ``_pi_register_engagement`` on the
    first open and the first click of each email: the dates, the counts (which
    earn the manager-set points of ``pi.channel.point``), ``pi_needs_care`` and one
    To-Do for the consultant. Logging an interaction clears ``pi_needs_care`` and
    closes that To-Do.
    """

    _name = "pi.care.mixin"
    _description = "PI Marketing Care"

    pi_last_open_date = fields.Datetime(
        string="Last Email Opened", readonly=True, copy=False, groups="base.group_user")
    pi_last_click_date = fields.Datetime(
        string="Last Link Clicked", readonly=True, copy=False, groups="base.group_user")
    pi_open_count = fields.Integer(
        string="Emails Opened", readonly=True, copy=False, groups="base.group_user")
    pi_click_count = fields.Integer(
        string="Emails Clicked", readonly=True, copy=False, groups="base.group_user")
    pi_needs_care = fields.Boolean(
        string="Needs Care", compute="_compute_pi_needs_care", store=True, index=True, copy=False,
        groups="base.group_user",
        help="Opened or clicked one of PI's emails in the last days (Settings) and no interaction logged since.")
    pi_care_activity_id = fields.Many2one(
        "mail.activity", string="Care To-Do", readonly=True, copy=False, groups="base.group_user")

    @api.depends("pi_last_open_date", "pi_last_click_date", "pi_last_interaction_date")
    def _compute_pi_needs_care(self):
        now = fields.Datetime.now()
        days = self._pi_care_days()
        for record in self:
            record.pi_needs_care = marketing_care.needs_care(
                record.pi_last_open_date, record.pi_last_click_date, record.pi_last_interaction_date, now, days)

    @api.model
    def _pi_care_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(marketing_care.CARE_DAYS_PARAM)
        return marketing_care.positive_days(value, marketing_care.DEFAULT_CARE_DAYS)

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._pi_drop_computed_values(vals_list, CARE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        # an open, a click or a care flag typed over RPC would forge the care list and the score
        self._pi_check_computed_values(vals, CARE_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------ ACTIONS
    def action_pi_send_intro(self):
        """"Gửi giới thiệu": the stock composer with PI's introduction template, its
        introduction documents attached (staff add others from the library), sent as
        a message of the record (its chatter and timeline), opens and clicks tracked.

        Sending posts on the record: the user must be allowed to change it (their own
        lead or customer, or a manager); stock's composer checks it again when sending.
        """
        self.ensure_one()
        self.check_access("write")
        template = self.env.ref(INTRO_TEMPLATES[self._name], raise_if_not_found=False)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send an Introduction"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "default_pi_care_kind": "intro",
                "mail_post_autofollow": False,
            },
        }

    # ------------------------------------------------------------ TRACKING
    def _pi_register_engagement(self, kind, counts=None, when=None):
        """Record the first open (``kind`` = ``marketing_care.OPEN``) or the first
        click (``CLICK``) of emails sent to these records.

        Called by ``mailing.trace`` from the public pixel and link routes: written
        as superuser (nobody is logged in; the routes checked their token or trace),
        only these fields, only on these records.

        :param counts: ``{record id: emails}`` newly opened or clicked (1 each by default)
        """
        when = when or fields.Datetime.now()
        date_field, count_field = (
            ("pi_last_open_date", "pi_open_count") if kind == marketing_care.OPEN
            else ("pi_last_click_date", "pi_click_count"))
        counts = counts or Counter(self.ids)
        records = self.sudo().with_context(tracking_disable=True, mail_notrack=True).exists()
        for record in records:
            last = record[date_field]
            record.write({
                date_field: max(last, when) if last else when,
                count_field: record[count_field] + counts.get(record.id, 1),
            })
        records._pi_schedule_care_activity()

    def _pi_care_assignee(self):
        """Who takes care of this record: its salesperson (a lead without one: its team's leader)."""
        self.ensure_one()
        user = self.user_id
        if not user and "team_id" in self._fields:
            user = self.team_id.user_id
        return user

    def _pi_schedule_care_activity(self):
        """One To-Do "take care" per record that needs care, for its consultant; none
        while the previous one is still open."""
        for record in self.sudo().filtered("pi_needs_care"):
            activity = record.pi_care_activity_id
            if activity.exists() and activity.active:
                continue
            assignee = record._pi_care_assignee()
            if not assignee:
                continue  # nobody looks after it yet: the managers' lists show it
            summary = record.with_context(lang=assignee.lang or self.env.lang).env._(
                "Take care: opened or clicked our email")
            record.pi_care_activity_id = record.activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=assignee.id,
                date_deadline=fields.Date.context_today(record))

    def _pi_close_care_activity(self):
        """Mark the care To-Do done once an interaction was logged (no longer needs care)."""
        for record in self.sudo():
            activity = record.pi_care_activity_id
            if not record.pi_needs_care and activity.exists() and activity.active:
                activity.action_feedback(feedback=self.env._("Interaction logged"))

    @api.model
    def _pi_cron_expire_care(self, batch_size=5000):
        """Daily: the records whose last open or click is older than the care period
        leave the care list (``pi_needs_care`` depends on today's date)."""
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=self._pi_care_days())
        stale = self.sudo().with_context(active_test=False).search([
            ("pi_needs_care", "=", True),
            "|", ("pi_last_open_date", "=", False), ("pi_last_open_date", "<", cutoff),
            "|", ("pi_last_click_date", "=", False), ("pi_last_click_date", "<", cutoff),
        ], limit=batch_size)
        self.env.add_to_compute(self._fields["pi_needs_care"], stale)
        stale.flush_recordset(["pi_needs_care"])
        return len(stale)
