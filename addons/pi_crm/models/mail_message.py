from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # What a message to a customer was sent for, so "Tin đã gửi" can filter by it.
    pi_care_kind = fields.Selection(
        [("statement", "Investment Statement"), ("greeting", "Greeting"), ("marketing", "Marketing")],
        string="Sent For", index="btree_not_null", readonly=True)
    pi_greeting_occasion_id = fields.Many2one(
        "pi.greeting.occasion", string="Occasion", index="btree_not_null", readonly=True, ondelete="set null")
