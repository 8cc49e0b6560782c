from odoo import models
from odoo.exceptions import AccessError


class SmsTemplate(models.Model):
    _inherit = "sms.template"

    def write(self, vals):
        # As for the e-mail templates (mail_template.py): PI's managers edit the SMS
        # templates of PI's records (record rule sms_template_rule_pi_manager), never
        # re-aim one at another model, whose record with the same id would fill it in.
        if "model_id" in vals and not self.env.su and not self.env.user.has_group("mail.group_mail_template_editor"):
            if any(template.model_id.id != vals["model_id"] and (template.model or "").startswith("pi.")
                   for template in self):
                raise AccessError(self.env._(
                    "Only a full-rights administrator can change which records a PI SMS template is for."))
        return super().write(vals)
