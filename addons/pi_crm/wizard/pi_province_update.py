from odoo import api, fields, models
from odoo.exceptions import AccessError


class PiProvinceUpdate(models.TransientModel):
    """Move customers and leads off Vietnam's pre-2025 provinces onto the units they merged into."""

    _name = "pi.province.update"
    _description = "Move Addresses to the 2025 Provinces"

    scope = fields.Selection(
        [("selected", "The selected customers"), ("all", "Every customer and lead")],
        default="selected", required=True)
    partner_ids = fields.Many2many("res.partner", string="Customers")
    partner_count = fields.Integer(compute="_compute_counts", string="Customers to Move")
    lead_count = fields.Integer(compute="_compute_counts", string="Leads to Move")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            values.setdefault("partner_ids", [(6, 0, self.env.context["active_ids"])])
        else:
            values.setdefault("scope", "all")
        return values

    def _old_address_domain(self):
        return [("state_id.pi_successor_state_id", "!=", False)]

    def _targets(self):
        """The records to move, read with the user's rights."""
        if self.scope == "all":
            return (self.env["res.partner"].search(self._old_address_domain()),
                    self.env["crm.lead"].search(self._old_address_domain()))
        return self.partner_ids.filtered_domain(self._old_address_domain()), self.env["crm.lead"]

    @api.depends("scope", "partner_ids")
    def _compute_counts(self):
        for wizard in self:
            partners, leads = wizard._targets()
            wizard.partner_count, wizard.lead_count = len(partners), len(leads)

    def action_apply(self):
        self.ensure_one()
        if self.scope == "all" and not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager may move every customer's address at once."))
        partners, leads = self._targets()
        states = self.env["res.country.state"]
        moved = states._pi_move_to_successors(partners) + states._pi_move_to_successors(leads)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"type": "success", "next": {"type": "ir.actions.act_window_close"},
                       "message": self.env._("%(count)s addresses moved to the 2025 provinces.", count=moved)},
        }
