from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import consultation


class PiLogCall(models.TransientModel):
    """Ghi cuộc gọi: log a call (or any contact) in one step and plan the next one."""

    _name = "pi.log.call"
    _description = "Log a Call"

    partner_id = fields.Many2one("res.partner", string="Customer")
    lead_id = fields.Many2one("crm.lead", domain="[('partner_id', '=?', partner_id)]")
    channel = fields.Selection(consultation.CHANNELS, required=True, default="call")
    direction = fields.Selection(consultation.DIRECTIONS, required=True, default="out")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    summary = fields.Text(string="What was said")
    customer_response = fields.Text(string="Customer response")
    result_id = fields.Many2one("pi.interaction.result")
    completed = fields.Boolean(default=True, help="The customer was reached and the exchange went through.")
    pi_class = fields.Selection(consultation.PI_CLASSES, string="Classification")
    # next step, planned with a stock activity
    next_activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Next step",
        domain="[('res_model', 'in', (False, 'crm.lead', 'res.partner'))]",
    )
    next_date = fields.Date(string="On")
    next_time = fields.Float(
        string="At",
        help="Time of the next step, in your time zone. A time also books it in the calendar of the person "
        "assigned, with a reminder 15 minutes before. Empty: any time that day.",
    )
    next_summary = fields.Char(string="Next step note")
    next_user_id = fields.Many2one("res.users", string="Assigned to", default=lambda self: self.env.user)

    @api.onchange("result_id")
    def _onchange_result_id(self):
        if self.result_id.pi_class:
            self.pi_class = self.result_id.pi_class

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["pi.interaction"]._check_link_access(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("lead_id") or vals.get("partner_id"):
            for wizard in self:
                self.env["pi.interaction"]._check_link_access(vals, lead=wizard.lead_id)
        return super().write(vals)

    @api.model
    def _action_open(self, record):
        """The wizard on ``record``, a lead or a customer (``pi.customer.mixin``)."""
        lead = record if record._name == "crm.lead" else self.env["crm.lead"]
        partner = record if record._name == "res.partner" else self.env["res.partner"]
        # the buttons answer only those who may log the call on that record
        self.check_access("create")
        record.check_access("read")
        context = {"default_channel": "call"}
        if lead:
            context.update(default_lead_id=lead.id, default_partner_id=lead.partner_id.id,
                           default_pi_class=lead.pi_class)
        if partner:
            context["default_partner_id"] = partner.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def _prepare_interaction_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id or self.lead_id.partner_id.id,
            "lead_id": self.lead_id.id,
            "channel": self.channel,
            "direction": self.direction,
            "date": self.date,
            "summary": self.summary,
            "customer_response": self.customer_response,
            "result_id": self.result_id.id,
            "completed": self.completed,
        }

    def _check_values(self):
        self.ensure_one()
        if not self.partner_id and not self.lead_id:
            raise UserError(self.env._("Choose the customer or the lead this call was with."))
        if not (self.summary or "").strip():
            raise UserError(self.env._("Write down what was said."))
        if self.next_activity_type_id and not self.next_date:
            raise UserError(self.env._("Choose the date of the next step."))
        if self.next_time and not 0 <= self.next_time < 24:
            raise UserError(self.env._("The time of the next step must be between 00:00 and 23:59."))

    def action_log(self):
        self.ensure_one()
        self._check_values()
        interaction = self.env["pi.interaction"].create(self._prepare_interaction_values())
        if self.lead_id and self.pi_class and self.lead_id.pi_class != self.pi_class:
            self.lead_id.pi_class = self.pi_class
        if self.next_activity_type_id:
            self._schedule_next_step()
        return interaction

    def _schedule_next_step(self):
        """Plan the next step as a stock activity on the lead (or the customer).

        Activities are dated by day. A time, when given, books the step the
        stock way, as a calendar event linked to the activity (as the activity's
        "Schedule" button does): it shows in the assignee's calendar and reminds
        them before; the activity's summary starts with the time, for the bell.
        """
        self.ensure_one()
        record = self.lead_id or self.partner_id
        user = self.next_user_id or self.env.user
        summary = self.next_summary or self.next_activity_type_id.summary or ""
        local = self._next_local_start()
        if local:
            summary = f"{local:%H:%M} {summary}".strip()
        activity = record.activity_schedule(
            activity_type_id=self.next_activity_type_id.id,
            date_deadline=self.next_date,
            summary=summary,
            user_id=user.id,
        )
        if local:
            tz = self._next_tz()
            start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
            event_values = {
                "name": self.next_summary or self.next_activity_type_id.name,
                "start": start,
                "stop": start + timedelta(minutes=15),
                "user_id": user.id,
                "partner_ids": [(6, 0, user.partner_id.ids)],
                "res_model_id": self.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_ids": [(6, 0, activity.ids)],
            }
            if self.lead_id:
                event_values["opportunity_id"] = self.lead_id.id
            reminder = self.env.ref("calendar.alarm_notif_1", raise_if_not_found=False)
            if reminder:
                event_values["alarm_ids"] = [(6, 0, reminder.ids)]
            self.env["calendar.event"].with_context(tz=tz.zone).create(event_values)
            activity.summary = summary  # the event names the activity after itself
        return activity

    def _next_tz(self):
        # the time is typed in the user's time zone; PI works in Vietnam's
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "Asia/Ho_Chi_Minh")

    def _next_local_start(self):
        """The next step's date and time, as typed (naive, in the user's time zone), or None."""
        if not (self.next_date and self.next_time):
            return None
        minutes = round(self.next_time * 60)
        return datetime.combine(self.next_date, time(minutes // 60 % 24, minutes % 60))
