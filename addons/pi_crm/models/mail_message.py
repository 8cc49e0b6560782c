from odoo import api, fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # What a message to a customer was sent for, so "Tin đã gửi" can filter by it.
    pi_care_kind = fields.Selection(
        [("statement", "Investment Statement"), ("greeting", "Greeting"), ("marketing", "Marketing"),
         ("intro", "Introduction")],
        string="Sent For", index="btree_not_null", readonly=True)
    pi_greeting_occasion_id = fields.Many2one(
        "pi.greeting.occasion", string="Occasion", index="btree_not_null", readonly=True, ondelete="set null")

    @api.model
    def _pi_tracked_care_kinds(self):
        """The ``pi_care_kind`` values whose emails carry an open pixel and tracked links
        (the intro kit, the nurture and campaign emails, the statements: see
        mail.mail._pi_create_care_traces). A hook: another addon adds its own kind here."""
        return {"statement", "marketing", "intro"}
