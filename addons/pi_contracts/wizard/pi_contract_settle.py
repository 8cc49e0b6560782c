from odoo import api, fields, models
from odoo.tools import format_date


class PiContractSettle(models.TransientModel):
    """Settle (tất toán) a contract: shows the payout breakdown on the chosen
    date, then closes the contract and attaches the settlement document."""

    _name = "pi.contract.settle"
    _inherit = ["pi.contract.wizard.mixin"]
    _description = "Settle Contract"

    date_settle = fields.Date(string="Settlement Date", required=True,
                              default=fields.Date.context_today)
    date_end = fields.Date(related="contract_id.date_end", compute_sudo=False)
    early = fields.Boolean(compute="_compute_payout", help="Settled before the end date.")
    template_id = fields.Many2one(
        "pi.contract.document.template", string="Settlement Document", domain="[('kind', '=', 'settlement')]",
        compute="_compute_template_id", store=True, readonly=False, precompute=True, compute_sudo=False)
    principal = fields.Monetary(compute="_compute_payout")
    days = fields.Integer(compute="_compute_payout")
    base_profit = fields.Monetary(compute="_compute_payout")
    gross_profit = fields.Monetary(compute="_compute_payout")
    excess_profit = fields.Monetary(compute="_compute_payout", string="Profit Above Base")
    fee = fields.Monetary(compute="_compute_payout", string="PI Fee")
    investor_profit = fields.Monetary(compute="_compute_payout")
    payout = fields.Monetary(compute="_compute_payout")

    @api.depends("contract_id")
    def _compute_template_id(self):
        Template = self.env["pi.contract.document.template"]
        for wizard in self:
            wizard.template_id = Template._get_default("settlement", wizard.contract_id.product_id)

    @api.depends("contract_id", "date_settle")
    def _compute_payout(self):
        for wizard in self:
            payout = wizard.contract_id.compute_payout(wizard.date_settle) if wizard.contract_id and \
                wizard.date_settle else dict.fromkeys(("principal", "days", "base_profit", "gross_profit",
                                                       "excess_profit", "fee", "investor_profit", "payout"), 0)
            for key, value in payout.items():
                wizard[key] = value
            wizard.early = bool(wizard.date_settle and wizard.date_end and wizard.date_settle < wizard.date_end)

    def action_confirm(self):
        self.ensure_one()
        self._check_contract_access()
        contract = self.contract_id
        contract._settle(self.date_settle, "settled")
        contract.message_post(body=self.env._(
            "Contract settled on %(date)s: payout %(payout)s (investor profit %(profit)s, PI fee %(fee)s).",
            date=format_date(self.env, self.date_settle), payout=contract._format_vnd(contract.settlement_payout),
            profit=contract._format_vnd(contract.settlement_investor_profit),
            fee=contract._format_vnd(contract.settlement_fee)))
        if self.template_id:
            contract._attach_document(self.template_id)
        return {"type": "ir.actions.act_window_close"}
