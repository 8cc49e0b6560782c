from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _pi_subordinate_users(self):
        """The users whose employee reports to this user's employee, at any depth
        (``hr.employee.parent_id``), without this user.

        As superuser: the org chart (who reports to whom) decides what a superior
        sees, and consultants have no rights on ``hr.employee``; only users come back.
        """
        self.ensure_one()
        employees = self.sudo().employee_ids
        if not employees:
            return self.browse()
        team = self.env["hr.employee"].sudo().search([("id", "child_of", employees.ids)])
        return (team - employees).user_id.filtered("active") - self

    def _pi_superior_user(self):
        """Who this user asks for help: their employee's manager (``parent_id``), else
        the leader of their sales team; never themselves. As superuser, like the org chart."""
        self.ensure_one()
        employee = self.sudo().employee_ids[:1]
        superior = employee.parent_id.user_id
        if not superior or not superior.active:
            superior = self.sudo().sale_team_id.user_id
        return self.browse(superior.id) if superior and superior != self else self.browse()
