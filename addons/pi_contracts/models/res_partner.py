from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import citizen_id, statement_engine

# Contracts that count in a customer's lifetime total: a renewed contract lives on in
# its renewal, so it is left out to count its principal once.
LIFETIME_STATES = ("active", "matured", "settled")


class ResPartner(models.Model):
    _inherit = "res.partner"

    pi_id_number = fields.Char(string="ID Number", tracking=True, index="btree_not_null", copy=False,
                               help="Citizen identity card (CCCD, 12 digits), old ID card (CMND, 9 digits) or "
                                    "passport number, printed on contracts.")
    pi_id_is_passport = fields.Boolean(string="Passport", tracking=True,
                                       help="The ID number is a passport's: it is not checked as a CCCD.")
    pi_id_kind = fields.Selection(
        [(citizen_id.KIND_CCCD, "Citizen ID (CCCD)"), (citizen_id.KIND_CMND, "Old ID card (CMND)"),
         ("passport", "Passport")],
        string="ID Kind", compute="_compute_pi_id_kind", store=True)
    pi_id_issue_date = fields.Date(string="ID Issue Date")
    pi_id_issue_place = fields.Char(string="ID Issue Place")
    pi_id_attachment_ids = fields.Many2many(
        "ir.attachment", "pi_partner_id_attachment_rel", "partner_id", "attachment_id", string="ID Scans",
        help="Scans of both sides of the ID card or the passport's photo page.")
    pi_contract_ids = fields.One2many("pi.investment.contract", "partner_id", string="Investment Contracts")
    pi_contract_count = fields.Integer(string="Contracts", compute="_compute_pi_contract_count")
    pi_statement_channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("both", "Email and SMS"), ("none", "None")],
        string="Statements By", default="email", required=True)
    pi_statement_frequency = fields.Selection(
        [("weekly", "Weekly"), ("quarterly", "Quarterly"), ("none", "None")],
        string="Statement Frequency", default="weekly", required=True)

    @api.depends("pi_id_number", "pi_id_is_passport")
    def _compute_pi_id_kind(self):
        for partner in self:
            if not partner.pi_id_number:
                partner.pi_id_kind = False
            elif partner.pi_id_is_passport:
                partner.pi_id_kind = "passport"
            else:
                partner.pi_id_kind = citizen_id.check(partner.pi_id_number)[0]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._pi_normalize_id_number(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._pi_normalize_id_number(vals)
        return super().write(vals)

    @api.model
    def _pi_normalize_id_number(self, vals):
        if vals.get("pi_id_number") and not vals.get("pi_id_is_passport"):
            vals["pi_id_number"] = citizen_id.normalize(vals["pi_id_number"]) or False

    @api.constrains("pi_id_number", "pi_id_is_passport", "pi_gender", "pi_birthdate")
    def _check_pi_id_number(self):
        for partner in self.filtered("pi_id_number"):
            if not partner.pi_id_is_passport:
                _kind, problem = citizen_id.check(
                    partner.pi_id_number, partner.pi_gender, partner.pi_birthdate and partner.pi_birthdate.year)
                if problem:
                    message, params = problem
                    raise ValidationError(self.env._(
                        "%(partner)s: the ID number %(number)s is not valid. %(reason)s",
                        partner=partner.display_name, number=partner.pi_id_number,
                        reason=self.env._(message, **params)))
            # Uniqueness is checked over the whole base (as superuser, to find a partner the user cannot
            # see); the other partner is named only to staff who may read it.
            other = self.sudo().search([("pi_id_number", "=", partner.pi_id_number), ("id", "!=", partner.id),
                                        ("id", "not in", (partner.commercial_partner_id | partner.child_ids).ids)],
                                       limit=1)
            if other:
                other = other.with_env(self.env)
                if other.has_access("read"):
                    raise ValidationError(self.env._(
                        "The ID number %(number)s is already recorded for %(other)s.",
                        number=partner.pi_id_number, other=other.display_name))
                raise ValidationError(self.env._(
                    "The ID number %(number)s is already recorded for another customer. Ask a manager.",
                    number=partner.pi_id_number))

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

    def _pi_may_post_care_kind(self, kind):
        # The statements engine posts each e-mail and SMS with what it was sent for (pi_care_kind, which
        # "Tin đã gửi" filters on) set as the message is created; nobody else marks a statement.
        return (kind == "statement" and statement_engine.is_engine_write(self.env.context)) or \
            super()._pi_may_post_care_kind(kind)

    # ------------------------------------------------ personal data (Decree 13/2023/NĐ-CP)
    def _pi_personal_data(self):
        sections = super()._pi_personal_data()
        contracts = self.env["pi.investment.contract"].search([("partner_id", "child_of", self.id)])
        sections[self.env._("Investment contracts")] = [{
            self.env._("Reference"): contract.name, self.env._("Product"): contract.product_id.name,
            self.env._("Principal"): contract.principal, self.env._("Start Date"): str(contract.date_start or ""),
            self.env._("End Date"): str(contract.date_end or ""),
            self.env._("State"): dict(contract._fields["state"]._description_selection(self.env))[contract.state],
        } for contract in contracts]
        return sections

    def _pi_retention_blockers(self):
        """Contracts in force, or settled less than the retention period ago, keep the data."""
        blockers = super()._pi_retention_blockers()
        years = int(self.env["ir.config_parameter"].sudo().get_param("pi_crm.data_retention_years", 10))
        limit = fields.Date.context_today(self) - relativedelta(years=years)
        # Read as superuser: the law's reasons hold whoever asks, and only the references are shown.
        contracts = self.env["pi.investment.contract"].sudo().search([("partner_id", "child_of", self.ids)])
        open_contracts = contracts.filtered(lambda contract: contract.state in ("draft", "active", "matured"))
        recent = contracts.filtered(lambda contract: contract.state in ("settled", "renewed")
                                    and (contract.date_settled or contract.date_end) > limit)
        if open_contracts:
            blockers.append(self.env._("contracts in force (%(refs)s)", refs=", ".join(open_contracts.mapped("name"))))
        if recent:
            blockers.append(self.env._(
                "contracts closed less than %(years)s years ago, which the law requires PI to keep (%(refs)s)",
                years=years, refs=", ".join(recent.mapped("name"))))
        return blockers

    def _pi_anonymize_fields(self, label):
        result = super()._pi_anonymize_fields(label)
        self.write({"pi_id_number": False, "pi_id_issue_date": False, "pi_id_issue_place": False,
                    "pi_id_attachment_ids": [(5, 0, 0)]})
        return result
