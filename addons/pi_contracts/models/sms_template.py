from odoo import models


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    def write(self, vals):
        self._pi_check_model_kept(vals, self.env._(
            "Only a full-rights administrator can change which records a PI SMS template is for."))
        return super().write(vals)
