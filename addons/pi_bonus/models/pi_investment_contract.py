from odoo import fields, models


class PiInvestmentContract(models.Model):
    _name = "pi.investment.contract"
    _inherit = ["pi.investment.contract", "pi.task.source.mixin"]
    _pi_task_field = "pi_contract_id"

    pi_task_ids = fields.One2many("project.task", "pi_contract_id", string="Tasks")
    # Read with the reader's record rules: a consultant sees their own line, a manager every line.
    pi_bonus_line_ids = fields.One2many("pi.bonus.line", "contract_id", string="Bonus",
                                        groups="pi_crm.group_pi_consultant")

    def write(self, vals):
        res = super().write(vals)
        if "scanned_original" in vals:
            self._pi_bonus_follow_scan()
        return res

    def action_activate(self):
        res = super().action_activate()
        # Activation checked the caller's rights on the contracts; the lines are its own records.
        self.env["pi.bonus.line"]._pi_create_for_contracts(self)
        return res

    def action_cancel(self):
        # A contract cancelled takes along its renewal waiting for its date (see super).
        contracts = self | self.renewal_id
        res = super().action_cancel()
        cancelled = contracts.filtered(lambda contract: contract.state == "cancelled")
        cancelled._pi_bonus_lines()._pi_cancel()
        return res

    def _pi_bonus_lines(self):
        return self.env["pi.bonus.line"].sudo().search([("contract_id", "in", self.ids)])

    def _pi_bonus_follow_scan(self):
        """Ticking "original collected and scanned" makes the bonus official; taking
        the tick back makes it provisional again. The caller could write the tick."""
        scanned = self.filtered("scanned_original")
        scanned._pi_bonus_lines()._pi_set_official()
        (self - scanned)._pi_bonus_lines()._pi_set_provisional()
