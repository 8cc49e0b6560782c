from odoo import fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "pi.task.source.mixin"]
    _pi_task_field = "pi_lead_id"

    pi_task_ids = fields.One2many("project.task", "pi_lead_id", string="Tasks")
    pi_task_count = fields.Integer(groups="base.group_user")
