from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pi_task_reminder_hours = fields.Integer(
        string="Task reminder (hours before the deadline)",
        config_parameter="pi_bonus.task_reminder_hours",
        default=24,
        help="Each assignee of a PI task gets one reminder (a To-Do and an inbox notice) this many hours "
        "before its deadline.",
    )
