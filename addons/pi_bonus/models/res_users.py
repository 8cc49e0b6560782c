from odoo import api, fields, models
from odoo.tools import format_date


class ResUsers(models.Model):
    _inherit = "res.users"

    # The weekly KPI digest (mail template pi_bonus.mail_template_pi_kpi_digest, on the
    # manager it goes to): computed with the rights of whoever renders it.
    pi_kpi_digest_period = fields.Char(compute="_compute_pi_kpi_digest", groups="pi_crm.group_pi_manager")
    pi_kpi_digest_html = fields.Html(compute="_compute_pi_kpi_digest", sanitize=False,
                                     groups="pi_crm.group_pi_manager")

    @api.depends_context("lang", "uid", "allowed_company_ids", "pi_digest_today")
    def _compute_pi_kpi_digest(self):
        Report = self.env["pi.kpi.report"]
        date_from, date_to = Report._pi_digest_period()
        period = f"{format_date(self.env, date_from)} – {format_date(self.env, date_to)}"
        for user in self:
            user.pi_kpi_digest_period = period
            user.pi_kpi_digest_html = Report._pi_digest_html(user)

    def mail_allowed_qweb_expressions(self):
        # what managers may use in the digest template without being template editors
        return (*super().mail_allowed_qweb_expressions(), "object.lang", "object.email_formatted",
                "object.company_id.email_formatted", "object.pi_kpi_digest_period", "object.pi_kpi_digest_html")

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
