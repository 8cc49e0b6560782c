from odoo import api, fields, models
from odoo.exceptions import ValidationError

POLICY_DATA = "pi_contracts/data/pi_contracts_data.xml"
# SHA-256 of the names earlier versions shipped in Vietnamese as their source
# (English now, Vietnamese in i18n/vi.po). A database still holding one gets the
# English source and the Vietnamese translation on update; a record PI renamed
# (a fee level whose rate changed, say) is left alone.
POLICY_DATA_SHIPPED_BEFORE = {
    "financial_policy_main": {"name": {"89d649254becf201a803fbc8a5b92de006970527da12d2c75087b75e2e37c890"}},
    "fee_tier_20": {"name": {"d006e6c75b106d8e8f27b402d36d8f283812c9c6da5fa512ad2c21f2d0ef5b76"}},
    "fee_tier_10": {"name": {"c30eea1bf4f9feca08a0cc7eed29e2d3bab9005ae9cbe65373d21348e390a077"}},
    "contract_stage_preparing": {"name": {"6109b3755c76956bd5e8b6eba78b134d136ca36a98d52653ca9ca021adce017c"}},
    "contract_stage_signing": {"name": {"54c6cb32ce8654ee06c54aebc22f70a8a5a84e892805d61fece761619d7d4447"}},
    "contract_stage_original": {"name": {"08d9874cad5d38324989d274a38f8c8698cb8bec558d972079defa32d6aad927"}},
    "contract_stage_done": {"name": {"0c47f8030e8a106a21d98fca13326c7fdbae0c4dbca4c8a680d255fa77cb7b65"}},
    "contract_stage_archive": {"name": {"7e7c5f7a0482063a690738c1c02ed45b087ffdc4e71c65d2373ba430874a6326"}},
}


class PiFinancialPolicy(models.Model):
    """PI's financial policy: one record, edited by full-rights administrators only.

    The chatter tracks every change (who, when, old → new). Contracts copy the
    base rate when they are activated, so a change here never rewrites them.
    """

    _name = "pi.financial.policy"
    _description = "Financial Policy"
    _inherit = ["mail.thread"]

    name = fields.Char(required=True, default="Financial policy", translate=True)
    base_rate = fields.Float(
        string="Base Rate (%/year)",
        digits=(5, 2),
        default=6.0,
        required=True,
        tracking=True,
        help="Guaranteed yearly rate of a new contract, in percent (6 means 6 %). "
        "A contract keeps the rate in force on the day it is activated.",
    )
    fee_tier_ids = fields.Many2many(
        "pi.fee.tier", string="Fee Levels", compute="_compute_fee_tier_ids",
        help="PI's share of the profit above the base rate; managed under Configuration > Fee levels.",
    )
    expiry_threshold_ids = fields.Many2many(
        "pi.contract.expiry.threshold", string="Expiry Notices (days before end)", tracking=True,
        help="How many days before a contract's end date its consultant and the managers are warned, "
        "30 and 7 days by default: type a number of days to add one.")

    def _compute_fee_tier_ids(self):
        tiers = self.env["pi.fee.tier"].search([("active", "=", True)])
        for policy in self:
            policy.fee_tier_ids = tiers

    @api.constrains("base_rate")
    def _check_base_rate(self):
        for policy in self:
            if not 0 <= policy.base_rate <= 100:
                raise ValidationError(self.env._("The base rate must be between 0 and 100 %."))

    @api.constrains("expiry_threshold_ids")
    def _check_expiry_thresholds(self):
        if any(not policy.expiry_threshold_ids for policy in self):
            raise ValidationError(self.env._("Keep at least one expiry notice (days before the end date)."))

    @api.model
    def _get_policy(self):
        """The policy in force (the shipped record, or the first one)."""
        policy = self.env.ref("pi_contracts.financial_policy_main", raise_if_not_found=False)
        return (policy or self.search([], limit=1)).sudo()

    @api.model
    def _get_notice_days(self):
        """Expiry-notice thresholds of the policy in force, largest first: (30, 7) by default."""
        return tuple(sorted(set(self._get_policy().expiry_threshold_ids.mapped("days")), reverse=True))

    @api.model
    def action_open_policy(self):
        policy = self._get_policy()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Financial Policy"),
            "res_model": self._name,
            "res_id": policy.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _update_shipped_names(self):
        """The shipped policy's, fee levels' and stages' names as this version
        ships them where the database still has an old one (the records are
        ``noupdate``); runs on each update."""
        self.env["ir.model.data"]._pi_update_shipped_values(POLICY_DATA, POLICY_DATA_SHIPPED_BEFORE)
