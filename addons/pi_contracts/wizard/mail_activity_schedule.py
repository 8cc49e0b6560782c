from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date


class MailActivitySchedule(models.TransientModel):
    """The stock plan launcher, for a contract's care plan: a call whose deadline
    is already past (a contract activated after its start date, entered late) is
    not scheduled, and the chatter names it, so the consultant can still make
    it by hand. Other models' plans are left as stock launches them."""

    _inherit = "mail.activity.schedule"

    def _plan_filter_activity_templates_to_schedule(self):
        templates = super()._plan_filter_activity_templates_to_schedule()
        return templates - self._pi_get_past_templates()

    def _pi_get_past_templates(self):
        """The plan's activities already due before today on a contract's plan date."""
        if self.res_model != "pi.investment.contract":
            return self.env["mail.activity.plan.template"]
        today = fields.Date.context_today(self)
        return self.plan_id.template_ids.filtered(
            lambda template: template._get_date_deadline(self.plan_date) < today)

    def action_schedule_plan(self):
        past = self._pi_get_past_templates()
        result = super().action_schedule_plan()
        if past:
            lines = Markup().join(Markup("<li>%s</li>") % self.env._(
                "%(activity)s (due on %(deadline)s, already past)",
                activity=template.summary or template.activity_type_id.name,
                deadline=format_date(self.env, template._get_date_deadline(self.plan_date)))
                for template in past)
            body = Markup("%s<ul>%s</ul>") % (self.env._(
                'Not scheduled from the plan "%(plan)s", the start date being past:', plan=self.plan_id.name), lines)
            for record in self._get_applied_on_records():
                record.message_post(body=body)
        return result
