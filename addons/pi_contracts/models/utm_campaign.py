from odoo import api, models

# A campaign's revenue: the new money of its customers. A renewal carries the
# same money on, so only first contracts count; drafts and cancelled ones never.
REVENUE_STATES = ("active", "matured", "settled", "renewed")


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    @api.depends("pi_lead_ids.partner_id", "pi_lead_ids.partner_id.pi_contract_ids.state",
                 "pi_lead_ids.partner_id.pi_contract_ids.principal",
                 "pi_lead_ids.partner_id.pi_contract_ids.date_start")
    def _compute_pi_revenue(self):
        return super()._compute_pi_revenue()

    def _pi_revenue_by_campaign(self):
        """Principal of the contracts of the customers (or their company) whose lead
        came from each campaign, started on or after the lead's creation; each
        contract once per campaign, whatever the number of its customer's leads."""
        revenue = super()._pi_revenue_by_campaign()
        campaign_ids = [campaign_id for campaign_id in self.ids if campaign_id]
        if not campaign_ids:
            return revenue
        self.env["crm.lead"].flush_model(["campaign_id", "partner_id", "create_date"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["pi.investment.contract"].flush_model(["partner_id", "state", "principal", "date_start",
                                                        "renewed_from_id"])
        self.env.cr.execute("""
            SELECT won.campaign_id, SUM(won.principal)
              FROM (SELECT DISTINCT lead.campaign_id, contract.id, contract.principal
                      FROM crm_lead lead
                      JOIN res_partner customer ON customer.id = lead.partner_id
                      JOIN pi_investment_contract contract
                        ON contract.partner_id IN (customer.id, customer.commercial_partner_id)
                     WHERE lead.campaign_id IN %s
                       AND contract.state IN %s
                       AND contract.renewed_from_id IS NULL
                       AND contract.date_start >= lead.create_date::date) won
             GROUP BY won.campaign_id
        """, [tuple(campaign_ids), REVENUE_STATES])
        revenue.update(dict(self.env.cr.fetchall()))
        return revenue
