from odoo import api, fields, models
from odoo.exceptions import UserError


class PiTaskDone(models.TransientModel):
    _name = "pi.task.done"
    _description = "Mark a Task as Done"

    task_id = fields.Many2one("project.task", required=True, ondelete="cascade", readonly=True)
    assigner_id = fields.Many2one(related="task_id.pi_assigner_id", string="Assigned By")
    comment = fields.Text(required=True, help="How the work went: sent to whoever assigned the task.")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # the wizard acts on its task with the user's rights: only someone who may change it closes it
        wizards.task_id.check_access("write")
        return wizards

    def action_confirm(self):
        self.ensure_one()
        if not (self.comment or "").strip():
            raise UserError(self.env._("Please write a comment on how the work went before marking it done."))
        self.task_id._pi_write_done(self.comment.strip())
        return {"type": "ir.actions.act_window_close"}
