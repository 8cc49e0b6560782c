from odoo import fields, models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    # PI's managers edit these (security/pi_greeting_security.xml); stock's check
    # on every save keeps them to placeholders unless a template editor writes them
    pi_greeting = fields.Boolean(
        string="Greeting Template",
        help="A template of PI's greetings (birthdays, holidays), sent by the greetings cron.")
