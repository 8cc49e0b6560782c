from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    pi_task_project = fields.Boolean(
        string="PI Work Project",
        help="Its tasks are PI's work: PI's task menus show them, consultants may open the project, a task "
        "is moved to its folded stage only when marked done with a comment, and the deadline reminders run.")
