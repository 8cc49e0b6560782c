from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    # PI's managers edit these (security/pi_greeting_security.xml); stock's check
    # on every save keeps them to placeholders unless a template editor writes them
    pi_greeting = fields.Boolean(
        string="Greeting Template",
        help="A template of PI's greetings (birthdays, holidays), sent by the greetings cron.")
    # PI's managers edit these too (security/pi_marketing_security.xml), placeholders only
    pi_marketing = fields.Boolean(
        string="Marketing Template",
        help="A template of PI's marketing to leads and customers (introduction kit, nurture email).")
    pi_attach_intro_documents = fields.Boolean(
        string="Attach the Introduction Documents",
        help="The composer attaches the active introduction documents of the sales library; "
        "staff add or remove documents before sending.")
