from odoo import fields, models


class PiTaskSourceMixin(models.AbstractModel):
    """A record PI tasks come from (a lead, a contract): its tasks and "Yêu cầu hỗ trợ"."""

    _name = "pi.task.source.mixin"
    _description = "Source of PI Tasks"

    #: the project.task field that points at this model's records
    _pi_task_field = None

    pi_task_count = fields.Integer(compute="_compute_pi_task_count", string="# Tasks")

    def _compute_pi_task_count(self):
        # the tasks the user may see (record rules), not every task
        counts = dict(self.env["project.task"]._read_group(
            [(self._pi_task_field, "in", self.ids)], [self._pi_task_field], ["__count"]))
        for record in self:
            record.pi_task_count = counts.get(record, 0)

    def action_pi_request_support(self):
        """A support task for the current user's superior about this record."""
        self.ensure_one()
        return self.env["project.task"]._pi_request_support(
            self, partners=self.partner_id, links={self._pi_task_field: self.id})

    def action_pi_open_tasks(self):
        self.ensure_one()
        return self.env["project.task"]._pi_tasks_action(
            self.env._("Tasks"), [(self._pi_task_field, "=", self.id)], {f"default_{self._pi_task_field}": self.id})
