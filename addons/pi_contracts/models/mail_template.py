from odoo import models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def write(self, vals):
        self._pi_check_model_kept(vals, self.env._(
            "Only a full-rights administrator can change which records a PI email template is for."))
        return super().write(vals)
