from odoo import api, models, modules

from ..tools import vn_phone


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

    def _pi_notify_incoming_call(self, caller, called, answer):
        """Live notice of an incoming call in the web client of these users
        (active internal ones), each in their own language.

        :param str caller: the calling number (E.164)
        :param str called: the PI line called, or empty
        :param dict answer: ``match``, ``name`` and ``url`` of the intake API's answer
        """
        recipients = self.filtered(lambda user: user.active and not user.share)
        partners_by_lang = {}
        for user in recipients:
            lang = user.partner_id.lang or "vi_VN"
            partners_by_lang[lang] = partners_by_lang.get(lang, self.env["res.partner"]) | user.partner_id
        payload = {
            "caller": caller,
            "called": called or "",
            "match": answer["match"],
            "name": answer["name"],
            "url": answer["url"],
        }
        for lang, partners in partners_by_lang.items():
            env = self.with_context(lang=lang).env
            texts = {
                "title": env._("Incoming call"),
                "message": env._(
                    "%(name)s is calling (%(number)s)", name=answer["name"], number=vn_phone.display_phone(caller)
                ),
                "button": env._("Open"),
            }
            # A user's bus channel is their partner (res.users._bus_channel).
            partners._bus_send("pi_crm.incoming_call", dict(payload, **texts))
