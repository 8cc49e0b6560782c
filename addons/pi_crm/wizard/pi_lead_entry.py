from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import email_address


class PiLeadEntry(models.TransientModel):
    """Manual entry of a lead: a name and a phone or an email, nothing more."""

    _name = "pi.lead.entry"
    _description = "New Lead Entry"

    contact_name = fields.Char(string="Customer name", required=True)
    phone = fields.Char()
    email_from = fields.Char(string="Email")
    name = fields.Char(string="Subject", help="Defaults to the customer name.")
    source_id = fields.Many2one(
        "utm.source", default=lambda self: self.env.ref("pi_crm.utm_source_assigned", False)
    )
    user_id = fields.Many2one(
        "res.users", string="Consultant", default=lambda self: self.env.user, domain="[('share', '=', False)]"
    )
    description = fields.Html(string="Notes")

    @api.model
    def _prepare_lead_values(self):
        return {
            "name": self.name or self.contact_name,
            "contact_name": self.contact_name,
            "phone": self.phone,
            "email_from": self.email_from,
            "source_id": self.source_id.id,
            "user_id": self.user_id.id,
            "description": self.description,
            "type": "lead" if self.env.user.has_group("crm.group_use_lead") else "opportunity",
        }

    def _check_values(self):
        self.ensure_one()
        if not (self.contact_name or "").strip():
            raise UserError(self.env._("Enter the customer's name."))
        if not (self.phone or "").strip() and not (self.email_from or "").strip():
            raise UserError(self.env._("Enter a phone number or an email for the customer."))
        if email_address.invalid_addresses(self.email_from):
            raise UserError(
                self.env._("The email “%(email)s” is not valid: type it like ten@congty.vn.", email=self.email_from)
            )

    def action_create(self):
        """Create the lead and open it: possible duplicates show on its form."""
        self.ensure_one()
        self._check_values()
        lead = self.env["crm.lead"].with_context(pi_phone_check=True).create(self._prepare_lead_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
