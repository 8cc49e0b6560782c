from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_date

from ..tools import sales_kpi


class PiKpiTarget(models.Model):
    """A consultant's targets for one month, set by a manager. The KPI report
    (``pi.kpi.report``) puts them next to what the consultant did that month."""

    _name = "pi.kpi.target"
    _description = "Consultant Monthly Target"
    _inherit = ["mail.thread"]
    _order = "month desc, user_id"

    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, tracking=True,
                              domain=lambda self: [("groups_id", "in", self.env.ref("pi_crm.group_pi_consultant").id)])
    month = fields.Date(required=True, index=True, tracking=True,
                        default=lambda self: sales_kpi.month_start(fields.Date.context_today(self)),
                        help="Any day of the month: the target is stored on its first day.")
    target_lead_count = fields.Integer(string="Leads", tracking=True)
    target_interaction_count = fields.Integer(string="Interactions", tracking=True)
    target_contract_count = fields.Integer(string="New Contracts", tracking=True)
    target_principal = fields.Monetary(string="Principal", currency_field="currency_id", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        ("user_month_unique", "UNIQUE(user_id, month, company_id)",
         "A consultant has one target per month: change the existing one."),
        ("figures_positive",
         "CHECK(target_lead_count >= 0 AND target_interaction_count >= 0 AND target_contract_count >= 0 "
         "AND target_principal >= 0)",
         "Targets cannot be negative."),
    ]

    @api.depends("user_id", "month")
    def _compute_display_name(self):
        for target in self:
            month = format_date(self.env, target.month, date_format="MM/yyyy") if target.month else ""
            target.display_name = f"{target.user_id.name or ''} {month}".strip()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = sales_kpi.month_start(fields.Date.to_date(vals["month"]))
        return super().create(vals_list)

    def write(self, vals):
        self._check_manager()
        if vals.get("month"):
            vals = dict(vals, month=sales_kpi.month_start(fields.Date.to_date(vals["month"])))
        return super().write(vals)

    def _check_manager(self):
        """Targets are the managers' to set (access rights say so too; this holds
        the line should a consultant be given write access on the model)."""
        if not self.env.su and not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager sets consultants' targets."))
