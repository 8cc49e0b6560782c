from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class PiContractRenew(models.TransientModel):
    """Renew (gia hạn) a contract: the linked new contract takes over on its start
    date (by default the old one's end date), with the profit rolled in or paid
    out, at the rates in force that day.

    A start date today or earlier closes the old contract now, valued on that
    date. A later start date schedules the renewal: the new contract waits as a
    draft, the old one stays active, and the daily cron closes it and activates
    the new one on that date, with the payout known then. So no contract is
    ever closed with a settlement date still to come.
    """

    _name = "pi.contract.renew"
    _inherit = ["pi.contract.wizard.mixin"]
    _description = "Renew Contract"

    product_id = fields.Many2one("pi.investment.product", compute="_compute_product_id", store=True,
                                 readonly=False, required=True, precompute=True, compute_sudo=False)
    date_start = fields.Date(
        string="New Start Date", compute="_compute_date_start", store=True, readonly=False, required=True,
        precompute=True, compute_sudo=False,
        help="The old contract is valued on this date (at most its end date). A date still to come schedules "
             "the renewal: the old contract stays active until then.")
    term_months = fields.Integer(string="New Term (months)", compute="_compute_term_months", store=True,
                                 readonly=False, required=True, precompute=True, compute_sudo=False)
    scheduled = fields.Boolean(compute="_compute_date_end", help="The renewal starts on a date still to come.")
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
        # At maturity by default: renewing earlier settles early, which pays less.
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.date_start = wizard.contract_id.date_end or today

    @api.depends("product_id")
    def _compute_term_months(self):
        for wizard in self:
            wizard.term_months = wizard.product_id.term_months or wizard.contract_id.term_months or 12

    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.date_end = wizard.date_start and wizard.date_start + relativedelta(months=wizard.term_months or 0)
            wizard.scheduled = bool(wizard.date_start and wizard.date_start > today)

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
        self._check_contract_access()
        old = self.contract_id
        old._check_can_close()
        if self.term_months <= 0:
            raise UserError(self.env._("The term must be at least one month."))
        if self.date_start < old.date_start:
            raise UserError(self.env._("The renewal cannot start before the contract it renews."))
        new = old._create_renewal(self._prepare_new_contract_values(), self.profit_mode)
        today = fields.Date.context_today(self)
        if min(self.date_start, old.date_end) <= today:
            old._complete_renewal(today)
        else:
            body = Markup(self.env._(
                "Renewal by %(new)s scheduled: it starts on %(date)s; this contract stays active until then.")) % {
                "new": new._get_html_link(), "date": format_date(self.env, self.date_start)}
            old.message_post(body=body)
            new.message_post(body=Markup(self.env._(
                "Renewal of %(old)s, starting on %(date)s: activated on that date.")) % {
                "old": old._get_html_link(), "date": format_date(self.env, self.date_start)})
        return {
            "type": "ir.actions.act_window",
            "res_model": new._name,
            "res_id": new.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _prepare_new_contract_values(self):
        """The new contract's terms; the principal follows from the old contract's
        payout on the start date (``pi.investment.contract._create_renewal``)."""
        return {
            "product_id": self.product_id.id,
            "date_start": self.date_start,
            "term_months": self.term_months,
            "date_end": self.date_end,
        }
