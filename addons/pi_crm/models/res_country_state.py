from markupsafe import Markup

from odoo import api, fields, models

from ..tools import vn_provinces


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    # Vietnam's 63 pre-2025 units are archived, not deleted: base's xmlids and
    # the addresses that still point to them stay valid until staff move them.
    active = fields.Boolean(default=True)
    pi_successor_state_id = fields.Many2one(
        "res.country.state", string="Merged Into", index="btree_not_null",
        domain="[('country_id', '=', country_id), ('active', '=', True)]",
        help="The unit this one became part of (Resolution 202/2025/QH15). PI's administrators may correct it.")
    pi_is_central_city = fields.Boolean(string="Centrally-run City")

    @api.model
    def _pi_archive_pre_2025_units(self):
        """Archive Vietnam's 63 old units, each pointing to the unit it merged into.

        Runs at install and upgrade; a unit that already has a successor keeps it,
        so the corrections PI makes in the list survive upgrades.
        """
        vietnam = self.env.ref("base.vn")
        states = self.with_context(active_test=False).search([("country_id", "=", vietnam.id)])
        by_code = {state.code: state for state in states}
        for old_code, new_code in vn_provinces.SUCCESSOR_BY_OLD_CODE.items():
            old, new = by_code.get(old_code), by_code.get(new_code)
            if old and new and not old.pi_successor_state_id:
                old.write({"pi_successor_state_id": new.id, "active": False})

    @api.model
    def _pi_move_to_successors(self, records):
        """Move ``records`` (partners or leads) off archived units onto their successors.

        Writes with the caller's rights and logs each move in the record's chatter.
        :returns: how many records moved
        """
        moving = records.filtered(lambda record: record.state_id.pi_successor_state_id)
        for old_state in moving.state_id:
            group = moving.filtered(lambda record, old_state=old_state: record.state_id == old_state)
            new_state = old_state.pi_successor_state_id
            group.write({"state_id": new_state.id})
            body = Markup("%s") % self.env._(
                "Province moved from %(old)s to %(new)s (the 2025 merger of provinces).",
                old=old_state.name, new=new_state.name)
            group._message_log_batch(bodies=dict.fromkeys(group.ids, body))
        return len(moving)

    @api.model
    def _pi_find_vn_state(self, text):
        """The current Vietnamese unit ``text`` names (a current or a former name), or an empty recordset."""
        key = vn_provinces.name_key(text)
        if not key:
            return self.browse()
        vietnam = self.env.ref("base.vn")
        states = self.sudo().with_context(active_test=False).search([("country_id", "=", vietnam.id)])
        by_key = {vn_provinces.name_key(state.name): state for state in states}
        alias = vn_provinces.ALIASES.get(key)
        state = by_key.get(key) or (alias and states.filtered(lambda unit: unit.code == alias)[:1])
        if not state:
            return self.browse()
        # a former unit's name leads to the unit it merged into (one step, or more if PI chained them)
        seen = state
        while state.pi_successor_state_id and state.pi_successor_state_id not in seen:
            state = state.pi_successor_state_id
            seen |= state
        return self.browse(state.id)
