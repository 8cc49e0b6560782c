from odoo import api, fields, models


class PiContractWizardMixin(models.AbstractModel):
    """A wizard acting on one contract (settle, renew).

    The user must be allowed to write the contract: checked on create (also for
    a ``default_contract_id`` from the context), on a change of contract and
    again by the wizard's action. The fields shown from the contract are
    computed with the user's rights (``compute_sudo=False``), so a colleague's
    contract reveals nothing, not even through ``onchange``.
    """

    _name = "pi.contract.wizard.mixin"
    _description = "Wizard on a Contract"

    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="contract_id.currency_id", compute_sudo=False)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_contract_access()
        return wizards

    def write(self, vals):
        res = super().write(vals)
        if "contract_id" in vals:
            self._check_contract_access()
        return res

    def _check_contract_access(self):
        self.contract_id.check_access("write")
