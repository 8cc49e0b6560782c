from odoo import models
from odoo.exceptions import AccessError


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    def _pi_check_model_kept(self, vals, message):
        """PI's managers edit the templates of PI's records (e-mail and SMS, record
        rules in security/), never re-aim one at another model: PI's code sends it
        for its own records, and would then fill it in from another model's record
        with the same id. ``message``: the refusal, translated."""
        if "model_id" in vals and not self.env.su and not self.env.user.has_group("mail.group_mail_template_editor"):
            if any(template.model_id.id != vals["model_id"] and (template.model or "").startswith("pi.")
                   for template in self):
                raise AccessError(message)
