from odoo import api, fields, models

from ..tools import statement_engine

# Contracts that count in a customer's lifetime total: a renewed contract lives on in
# its renewal, so it is left out to count its principal once.
LIFETIME_STATES = ("active", "matured", "settled")


class ResPartner(models.Model):
    _inherit = "res.partner"

    pi_id_number = fields.Char(string="ID Number", tracking=True,
                               help="Citizen identity card (CCCD) or passport number, printed on contracts.")
    pi_id_issue_date = fields.Date(string="ID Issue Date")
    pi_id_issue_place = fields.Char(string="ID Issue Place")
    pi_contract_ids = fields.One2many("pi.investment.contract", "partner_id", string="Investment Contracts")
    pi_contract_count = fields.Integer(string="Contracts", compute="_compute_pi_contract_count")
    pi_statement_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("both", "Email and SMS"), ("none", "None")],
        string="Statements By", default="email", required=True)
    pi_statement_frequency = fields.Selection(
        [("weekly", "Weekly"), ("quarterly", "Quarterly"), ("none", "None")],
        string="Statement Frequency", default="weekly", required=True)

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

    @api.depends("pi_lead_ids", "pi_contract_ids.state", "pi_contract_ids.principal",
                 "pi_contract_ids.renewed_from_id")
    def _compute_pi_segment(self):
        return super()._compute_pi_segment()

    def _pi_contract_stats(self):
        stats = super()._pi_contract_stats()
        groups = self.env["pi.investment.contract"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id", "state"], ["__count", "principal:sum"])
        for partner, state, count, principal in groups:
            partner_stats = stats[partner.id]
            partner_stats["counts"][state] = count
            if state in LIFETIME_STATES:
                partner_stats["total_principal"] += principal
        renewals = self.env["pi.investment.contract"].sudo()._read_group(
            [("partner_id", "in", self.ids), ("renewed_from_id", "!=", False),
             ("state", "not in", ("draft", "cancelled"))],
            ["partner_id"], ["__count"])
        for partner, count in renewals:
            stats[partner.id]["renewal_count"] = count
        return stats

    def _get_message_create_valid_field_names(self):
        # The statements engine posts each e-mail and SMS with what it was sent for (pi_care_kind, which
        # "Tin đã gửi" filters on) set as the message is created; nobody else sets it through message_post.
        names = super()._get_message_create_valid_field_names()
        if statement_engine.is_engine_write(self.env.context):
            names = names | {"pi_care_kind"}
        return names
