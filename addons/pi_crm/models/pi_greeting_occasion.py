from odoo import fields, models


class PiGreetingOccasion(models.Model):
    """A day PI greets its customers: their birthday, a company's founding day, or a holiday."""

    _name = "pi.greeting.occasion"
    _description = "Greeting Occasion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    kind = fields.Selection(
        [("birthday", "Birthday"), ("founding", "Company Founding Day"), ("holiday", "Holiday")],
        required=True, default="holiday")
    calendar = fields.Selection([("solar", "Solar"), ("lunar", "Lunar")], required=True, default="solar")
    day = fields.Integer()
    month = fields.Integer()
    channel = fields.Selection(
        [("sms", "SMS"), ("email", "Email"), ("both", "Email and SMS")], required=True, default="sms")
    mail_template_id = fields.Many2one("mail.template", string="Email Template", domain=[("model", "=", "res.partner")])
    sms_template_id = fields.Many2one("sms.template", string="SMS Template", domain=[("model", "=", "res.partner")])
    audience = fields.Selection(
        [("all", "All Customers"), ("investors", "Investors with an Active Contract"), ("segment", "A Segment")],
        required=True, default="all")
