from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_lead import PI_CLASSES
from ..models.pi_interaction import CHANNELS, DIRECTIONS


class PiLogCall(models.TransientModel):
    """Ghi cuộc gọi: log a call (or any contact) in one step and plan the next one."""

    _name = "pi.log.call"
    _description = "Log a Call"

    partner_id = fields.Many2one("res.partner", string="Customer")
    lead_id = fields.Many2one("crm.lead", domain="[('partner_id', '=?', partner_id)]")
    channel = fields.Selection(CHANNELS, required=True, default="call")
    direction = fields.Selection(DIRECTIONS, required=True, default="out")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    summary = fields.Text(string="What was said")
    customer_response = fields.Text(string="Customer response")
    result_id = fields.Many2one("pi.interaction.result")
    completed = fields.Boolean(default=True, help="The customer was reached and the exchange went through.")
    pi_class = fields.Selection(PI_CLASSES, string="Classification")
    # next step, planned with a stock activity
    next_activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Next step",
        domain="[('res_model', 'in', (False, 'crm.lead', 'res.partner'))]",
    )
    next_date = fields.Date(string="On")
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
    def _action_open(self, lead=None, partner=None):
        # the buttons answer only those who may log the call on that record
        self.check_access("create")
        (lead or self.env["crm.lead"]).check_access("read")
        (partner or self.env["res.partner"]).check_access("read")
        context = {"default_channel": "call"}
        if lead:
            context.update(default_lead_id=lead.id, default_partner_id=lead.partner_id.id, default_pi_class=lead.pi_class)
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

    def action_log(self):
        self.ensure_one()
        self._check_values()
        interaction = self.env["pi.interaction"].create(self._prepare_interaction_values())
        if self.lead_id and self.pi_class and self.lead_id.pi_class != self.pi_class:
            self.lead_id.pi_class = self.pi_class
        if self.next_activity_type_id:
            record = self.lead_id or self.partner_id
            record.activity_schedule(
                activity_type_id=self.next_activity_type_id.id,
                date_deadline=self.next_date,
                summary=self.next_summary or self.next_activity_type_id.summary or "",
                user_id=(self.next_user_id or self.env.user).id,
            )
        return interaction
