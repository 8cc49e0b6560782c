from odoo import api, models, modules


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _get_activity_groups(self):
        """PI's new-lead queue ("KH mới chưa tư vấn") in the activity menu of PI
        staff, as far as each may read it: a consultant's own new leads, all of
        them for a manager.

        The menu's counter (the sum of the groups' ``total_count``) counts the
        new leads nobody owns yet, which a manager must hand out, except those
        already in the user's own activities (a team leader's To-Do): no lead
        is counted twice.
        """
        groups = super()._get_activity_groups()
        if not self.env.user.has_group("pi_crm.group_pi_consultant"):
            return groups
        Lead = self.env["crm.lead"]
        domain = [("pi_consult_state", "=", "new")]
        waiting = Lead.search_count(domain)
        if not waiting:
            return groups
        unassigned_domain = domain + [("user_id", "=", False)]
        groups.insert(0, {
            "id": self.env["ir.model"]._get_id("crm.lead"),
            "type": "pi_new_leads",
            "name": self.env._("New leads to consult"),
            "model": "crm.lead",
            "icon": modules.module.get_module_icon("pi_crm"),
            "pi_waiting_count": waiting,
            "pi_unassigned_count": Lead.search_count(unassigned_domain),
            "total_count": Lead.search_count(
                unassigned_domain + [("activity_ids", "not any", [("user_id", "=", self.env.uid)])]
            ),
            "action": "pi_crm.pi_lead_new_action",
        })
        return groups
