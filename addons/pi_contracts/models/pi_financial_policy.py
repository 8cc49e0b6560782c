from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
