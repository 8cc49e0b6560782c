from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import contract_dates

NOTICE_DAYS_PARAM = "pi_contracts.expiry_notice_days"
DEFAULT_NOTICE_DAYS = "30,7"


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
    expiry_notice_days = fields.Char(
        string="Expiry Notices (days before end)",
        compute="_compute_expiry_notice_days",
        inverse="_inverse_expiry_notice_days",
        help="Comma-separated numbers of days before a contract's end date when the consultant "
        "and the managers are warned, e.g. 30,7.",
    )

    def _compute_fee_tier_ids(self):
        tiers = self.env["pi.fee.tier"].search([("active", "=", True)])
        for policy in self:
            policy.fee_tier_ids = tiers

    def _compute_expiry_notice_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(NOTICE_DAYS_PARAM, DEFAULT_NOTICE_DAYS)
        for policy in self:
            policy.expiry_notice_days = value

    def _inverse_expiry_notice_days(self):
        for policy in self:
            text = (policy.expiry_notice_days or "").strip()
            days = contract_dates.parse_notice_days(text, default=())
            if not days:
                raise ValidationError(self.env._(
                    "Expiry notices must be whole numbers of days separated by commas, e.g. 30,7."))
            old = self.env["ir.config_parameter"].sudo().get_param(NOTICE_DAYS_PARAM, DEFAULT_NOTICE_DAYS)
            new = ",".join(str(day) for day in days)
            self.env["ir.config_parameter"].sudo().set_param(NOTICE_DAYS_PARAM, new)
            if old != new:
                policy.message_post(body=self.env._(
                    "Expiry notices: %(old)s → %(new)s days before the end date", old=old, new=new))

    @api.constrains("base_rate")
    def _check_base_rate(self):
        for policy in self:
            if not 0 <= policy.base_rate <= 100:
                raise ValidationError(self.env._("The base rate must be between 0 and 100 %."))

    @api.model
    def _get_policy(self):
        """The policy in force (the shipped record, or the first one)."""
        policy = self.env.ref("pi_contracts.financial_policy_main", raise_if_not_found=False)
        return (policy or self.search([], limit=1)).sudo()

    @api.model
    def _get_notice_days(self):
        """Expiry-notice thresholds, largest first: (30, 7) by default."""
        value = self.env["ir.config_parameter"].sudo().get_param(NOTICE_DAYS_PARAM, DEFAULT_NOTICE_DAYS)
        return contract_dates.parse_notice_days(value)

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
