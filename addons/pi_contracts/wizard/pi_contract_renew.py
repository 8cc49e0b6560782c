from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import contract_dates


class PiContractRenew(models.TransientModel):
    """Renew (gia hạn) a contract: closes it on the renewal date and opens the
    linked new contract at today's rates, with the profit rolled in or paid out."""

    _name = "pi.contract.renew"
    _description = "Renew Contract"

    contract_id = fields.Many2one("pi.investment.contract", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    product_id = fields.Many2one("pi.investment.product", compute="_compute_product_id", store=True,
                                 readonly=False, required=True, precompute=True)
    date_start = fields.Date(string="New Start Date", compute="_compute_date_start", store=True, readonly=False,
                             required=True, precompute=True, help="The old contract is valued on this date (at most its end date).")
    term_months = fields.Integer(string="New Term (months)", compute="_compute_term_months", store=True,
                                 readonly=False, required=True, precompute=True)
    date_end = fields.Date(string="New End Date", compute="_compute_date_end")
    profit_mode = fields.Selection(
        [("rollover", "Roll the profit into the new principal"), ("payout", "Pay the profit out")],
        required=True, default="rollover")
    investor_profit = fields.Monetary(compute="_compute_amounts", string="Profit of the Old Contract")
    new_principal = fields.Monetary(compute="_compute_amounts")
    base_rate = fields.Float(string="New Base Rate (%/year)", compute="_compute_amounts", digits=(5, 2))

    @api.depends("contract_id")
    def _compute_product_id(self):
        for wizard in self:
            wizard.product_id = wizard.contract_id.product_id

    @api.depends("contract_id")
    def _compute_date_start(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            end = wizard.contract_id.date_end
            wizard.date_start = min(end, today) if end and end > today else end or today

    @api.depends("product_id")
    def _compute_term_months(self):
        for wizard in self:
            wizard.term_months = wizard.product_id.term_months or wizard.contract_id.term_months or 12

    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        for wizard in self:
            wizard.date_end = contract_dates.add_months(wizard.date_start, wizard.term_months)

    @api.depends("contract_id", "date_start", "profit_mode")
    def _compute_amounts(self):
        policy = self.env["pi.financial.policy"]._get_policy()
        for wizard in self:
            wizard.base_rate = policy.base_rate
            if not (wizard.contract_id and wizard.date_start):
                wizard.investor_profit = wizard.new_principal = 0
                continue
            payout = wizard.contract_id.compute_payout(wizard.date_start)
            wizard.investor_profit = payout["investor_profit"]
            wizard.new_principal = payout["payout"] if wizard.profit_mode == "rollover" else payout["principal"]

    def action_confirm(self):
        self.ensure_one()
        old = self.contract_id
        old._check_can_close()
        if self.term_months <= 0:
            raise UserError(self.env._("The term must be at least one month."))
        if self.date_start < old.date_start:
            raise UserError(self.env._("The renewal cannot start before the contract it renews."))
        payout = old._settle(min(self.date_start, old.date_end), "renewed")
        principal = payout["payout"] if self.profit_mode == "rollover" else payout["principal"]
        new = old.copy(self._prepare_new_contract_values(principal))
        old.renewal_id = new
        new.action_activate()
        how = self.env._("rolled into the new principal") if self.profit_mode == "rollover" else self.env._("paid out")
        old.message_post(body=Markup(self.env._("Renewed by %(new)s; profit %(profit)s %(how)s.")) % {
            "new": new._get_html_link(), "profit": old._format_vnd(payout["investor_profit"]), "how": how})
        new.message_post(body=Markup(self.env._("Renewal of %(old)s.")) % {"old": old._get_html_link()})
        template = self.env["pi.contract.document.template"]._get_default("renewal", new.product_id)
        if template:
            new._attach_document(template)
        return {
            "type": "ir.actions.act_window",
            "res_model": new._name,
            "res_id": new.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _prepare_new_contract_values(self, principal):
        return {
            "product_id": self.product_id.id,
            "principal": principal,
            "date_start": self.date_start,
            "term_months": self.term_months,
            "date_end": self.date_end,
            "renewed_from_id": self.contract_id.id,
            "state": "draft",
        }
