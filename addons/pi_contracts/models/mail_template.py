from odoo import models
from odoo.exceptions import AccessError


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def write(self, vals):
        # PI's managers may edit the templates of PI's records (record rule
        # mail_template_rule_pi_manager), not re-aim one at another model: PI's
        # code sends it for its own records, and would then fill it in from
        # another model's record with the same id.
        if "model_id" in vals and not self.env.su and not self.env.user.has_group("mail.group_mail_template_editor"):
            if any(template.model_id.id != vals["model_id"] and (template.model or "").startswith("pi.")
                   for template in self):
                raise AccessError(self.env._(
                    "Only a full-rights administrator can change which records a PI email template is for."))
        return super().write(vals)
