from odoo import fields, models


class PiGreetingLog(models.Model):
    """One greeting of one partner for one occasion in one year: written by the
    greetings cron with the sending itself, so nobody is greeted twice."""

    _name = "pi.greeting.log"
    _description = "Greeting Sent"
    _order = "date desc, id desc"
    _rec_name = "occasion_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade",
                                 readonly=True)
    occasion_id = fields.Many2one("pi.greeting.occasion", required=True, index=True,
                                  ondelete="cascade", readonly=True)
    year = fields.Integer(required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    channel = fields.Selection(
        [("sms", "SMS"), ("email", "Email"), ("both", "Email and SMS")], string="Sent by", readonly=True)
    state = fields.Selection(
        [("sent", "Sent"), ("skipped", "Not Sent"), ("failed", "Failed")], required=True, readonly=True)
    reason = fields.Char(readonly=True, help="Why nothing (or not everything) was sent.")
    message_ids = fields.Many2many("mail.message", string="Messages", readonly=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Consultant")

    _sql_constraints = [
        ("partner_occasion_year_uniq", "unique(partner_id, occasion_id, year)",
         "A customer is greeted once per occasion and year."),
    ]
