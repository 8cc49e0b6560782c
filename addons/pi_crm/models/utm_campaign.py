from odoo import api, fields, models
from odoo.exceptions import AccessError

# Money figures of a campaign that only PI's managers set.
MANAGER_FIELDS = ("pi_budget", "pi_expected_revenue", "pi_actual_cost")


class UtmCampaign(models.Model):
    """A marketing campaign's money: budget, expected revenue and actual cost,
    set by managers, against the leads it brought and the revenue they made."""

    _inherit = "utm.campaign"

    pi_currency_id = fields.Many2one(
        "res.currency", string="Currency", compute="_compute_pi_currency_id", store=True)
    pi_budget = fields.Monetary(string="Budget", currency_field="pi_currency_id")
    pi_expected_revenue = fields.Monetary(
        string="Expected Revenue", currency_field="pi_currency_id")
    pi_actual_cost = fields.Monetary(string="Actual Cost", currency_field="pi_currency_id")
    pi_lead_ids = fields.One2many(
        "crm.lead", "campaign_id", string="Campaign Leads", context={"active_test": False},
        groups="base.group_user")
    pi_lead_count = fields.Integer(
        string="Leads", compute="_compute_pi_lead_count", store=True, compute_sudo=True,
        help="Every lead of the campaign, whoever looks after it (lost ones included).")
    pi_cost_per_lead = fields.Monetary(
        string="Cost per Lead", currency_field="pi_currency_id", compute="_compute_pi_cost_per_lead",
        store=True, aggregator="avg")
    pi_revenue = fields.Monetary(
        string="Revenue", currency_field="pi_currency_id", compute="_compute_pi_revenue", store=True,
        compute_sudo=True,
        help="Principal of the contracts signed by the customers whose lead came from this campaign, "
        "from the lead's creation on (renewals not counted again).")
    pi_revenue_gap = fields.Monetary(
        string="Revenue vs Forecast", currency_field="pi_currency_id", compute="_compute_pi_revenue_gap",
        store=True, help="Revenue minus expected revenue.")

    def _compute_pi_currency_id(self):
        self.pi_currency_id = self.env.company.currency_id

    @api.depends("pi_lead_ids")
    def _compute_pi_lead_count(self):
        counts = dict(self.env["crm.lead"].with_context(active_test=False)._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]))
        for campaign in self:
            campaign.pi_lead_count = counts.get(campaign, 0)

    @api.depends("pi_actual_cost", "pi_lead_count")
    def _compute_pi_cost_per_lead(self):
        for campaign in self:
            leads = campaign.pi_lead_count
            campaign.pi_cost_per_lead = campaign.pi_actual_cost / leads if leads else 0

    @api.depends("pi_lead_ids.partner_id")
    def _compute_pi_revenue(self):
        """Extend ``@api.depends`` with contract fields in the contracts addon; the
        figures come from :meth:`_pi_revenue_by_campaign`."""
        revenue = self._pi_revenue_by_campaign()
        for campaign in self:
            campaign.pi_revenue = revenue.get(campaign.id, 0)

    @api.depends("pi_revenue", "pi_expected_revenue")
    def _compute_pi_revenue_gap(self):
        for campaign in self:
            campaign.pi_revenue_gap = campaign.pi_revenue - campaign.pi_expected_revenue

    def _pi_revenue_by_campaign(self):
        """Revenue of each campaign. Hook for the contracts addon: without
        contracts there is none.

        :return: ``{campaign_id: amount}``
        """
        return {}

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._pi_check_manager_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._pi_check_manager_fields(vals)
        return super().write(vals)

    @api.model
    def _pi_check_manager_fields(self, vals):
        """Budget, expected revenue and actual cost are PI managers' figures: every
        internal user may write campaigns (stock), not these."""
        if self.env.su or not any(name in vals for name in MANAGER_FIELDS):
            return
        if not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._(
                "Only PI's managers set a campaign's budget, expected revenue and actual cost."))
