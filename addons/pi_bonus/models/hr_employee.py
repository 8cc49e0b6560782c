from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # The task record rules read the user's employees (``user.employee_ids``), and
    # record rules are cached per user: a new link between a user and an employee
    # clears that cache. The hierarchy itself (parent_id) is read by each query.
    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return employees

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals:
            self.env.registry.clear_cache()
        return result
