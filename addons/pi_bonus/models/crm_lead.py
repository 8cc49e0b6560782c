from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "pi.task.source.mixin"]
    _pi_task_field = "pi_lead_id"

    pi_task_ids = fields.One2many("project.task", "pi_lead_id", string="Tasks")
    pi_task_count = fields.Integer(groups="base.group_user")
    # the KPI report's "consulted" and "first response": stored, so a year of KPIs
    # reads the leads instead of grouping every interaction again
    pi_first_contact_date = fields.Datetime(
        string="First Contact", compute="_compute_pi_first_contact_date", store=True, index="btree_not_null",
        groups="base.group_user",
        help="The first interaction logged with this lead, its intake record aside.")

    @api.depends("pi_interaction_ids.date", "pi_interaction_ids.intake")
    def _compute_pi_first_contact_date(self):
        for lead in self:
            dates = [interaction.date for interaction in lead.pi_interaction_ids if not interaction.intake]
            lead.pi_first_contact_date = min(dates) if dates else False

    @api.model_create_multi
    def create(self, vals_list):
        self._pi_drop_computed_values(vals_list, ["pi_first_contact_date"])
        return super().create(vals_list)

    def write(self, vals):
        self._pi_check_computed_values(vals, ["pi_first_contact_date"])
        return super().write(vals)
