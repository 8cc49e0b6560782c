from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _get_message_create_valid_field_names(self):
        # message_post(pi_care_kind=...) says what a message to a customer is for
        # (the composer's intro kit, the nurture); the tracking of opens and clicks
        # keys on it (mail.mail._pi_create_care_traces)
        return super()._get_message_create_valid_field_names() | {"pi_care_kind"}
