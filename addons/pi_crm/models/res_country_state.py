from markupsafe import Markup

from odoo import api, fields, models, tools

from ..tools import vn_provinces

# what the cached map of Vietnamese names reads: a change to one of them clears it
NAME_MAP_FIELDS = frozenset({"name", "code", "country_id", "active", "pi_successor_state_id"})


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

    @api.model_create_multi
    def create(self, vals_list):
        states = super().create(vals_list)
        self.env.registry.clear_cache()  # _pi_vn_state_ids_by_key
        return states

    def write(self, vals):
        result = super().write(vals)
        if NAME_MAP_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # _pi_vn_state_ids_by_key
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _pi_vn_state_ids_by_key
        return result

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

    def _pi_final_successor(self):
        """The unit this one ends up in: its successor, that one's successor and so on (PI may
        chain them), or this unit itself when it has none. A cycle stops at its last unit not yet seen."""
        self.ensure_one()
        state = seen = self
        while state.pi_successor_state_id and state.pi_successor_state_id not in seen:
            state = state.pi_successor_state_id
            seen |= state
        return state

    @api.model
    def _pi_move_to_successors(self, records):
        """Move ``records`` (partners or leads) off archived units onto their final successors.

        Writes with the caller's rights and logs each move in the record's chatter.
        :returns: how many records moved
        """
        moved = 0
        for old_state in records.state_id.filtered("pi_successor_state_id"):
            new_state = old_state._pi_final_successor()
            if new_state == old_state:
                continue  # a unit PI made its own successor: nowhere to go
            group = records.filtered(lambda record, old_state=old_state: record.state_id == old_state)
            group.write({"state_id": new_state.id})
            body = Markup("%s") % self.env._(
                "Province moved from %(old)s to %(new)s (the 2025 merger of provinces).",
                old=old_state.name, new=new_state.name)
            group._message_log_batch(bodies=dict.fromkeys(group.ids, body))
            moved += len(group)
        return moved

    @api.model
    @tools.ormcache()
    def _pi_vn_state_ids_by_key(self):
        """``{name key: id of the current unit}`` for every Vietnamese unit's name, current or
        former (a former one leads to its final successor), and for PI's aliases.

        Read by every intake call, so cached; any change to a state clears it (create, write, unlink).
        """
        vietnam = self.env.ref("base.vn")
        # the map is the same for everyone: read whole, whatever the caller may read
        states = self.sudo().with_context(active_test=False).search([("country_id", "=", vietnam.id)])
        by_key = {vn_provinces.name_key(state.name): state for state in states}
        for alias, code in vn_provinces.ALIASES.items():
            by_key.setdefault(alias, states.filtered(lambda unit, code=code: unit.code == code)[:1])
        return {key: state._pi_final_successor().id for key, state in by_key.items() if key and state}

    @api.model
    def _pi_find_vn_state(self, text):
        """The current Vietnamese unit ``text`` names (a current or a former name), or an empty recordset."""
        return self.browse(self._pi_vn_state_ids_by_key().get(vn_provinces.name_key(text)))
