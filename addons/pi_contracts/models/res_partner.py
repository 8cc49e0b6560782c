from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    pi_id_number = fields.Char(string="ID Number", tracking=True,
                               help="Citizen identity card (CCCD) or passport number, printed on contracts.")
    pi_id_issue_date = fields.Date(string="ID Issue Date")
    pi_id_issue_place = fields.Char(string="ID Issue Place")
    pi_contract_ids = fields.One2many("pi.investment.contract", "partner_id", string="Investment Contracts")
    pi_contract_count = fields.Integer(string="Contracts", compute="_compute_pi_contract_count")

    def _compute_pi_contract_count(self):
        groups = self.env["pi.investment.contract"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.pi_contract_count = counts.get(partner.id, 0)

    def action_view_pi_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_contracts.pi_investment_contract_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
