from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date, formatLang

from ..tools import contract_text

# Field paths a document template may print without being code (stock's
# restricted rendering, ``mail.render.mixin``): what the staff pick from the
# placeholder list. They read the contract with the printer's rights.
DOCUMENT_PLACEHOLDERS = (
    "object.name",
    "object.partner_id",
    "object.partner_id.name",
    "object.partner_id.email",
    "object.partner_id.pi_id_number",
    "object.partner_id.pi_id_issue_place",
    "object.partner_salutation",
    "object.company_id",
    "object.company_id.name",
    "object.renewed_from_id",
    "object.renewed_from_id.name",
    "object.renewed_from_id.doc_settlement_investor_profit",
    "object.term_months",
    "object.settlement_days",
    "object.principal_in_words",
)
SETTLEMENT_TEXTS = ("base_profit", "gross_profit", "excess_profit", "fee", "investor_profit", "payout")


def document_text(string, help_text=None):
    """A contract value as its documents print it (computed in the render language, not stored).

    Searchable in name only (a search method that refuses): stock's placeholder
    list in the editor offers searchable fields only.
    """
    return fields.Char(string=string, help=help_text, compute="_compute_document_texts",
                       search="_search_document_text")


class PiInvestmentContract(models.Model):
    """The contract's values as its documents print them: ready-formatted
    texts in the render language (the investor's), so that a document body
    needs nothing but placeholders ``object.doc_…``.
    """

    _inherit = "pi.investment.contract"

    doc_principal = document_text("Principal (document)", 'e.g. "1.500.000.000 ₫"')
    doc_base_rate = document_text("Base Rate (document)", 'e.g. "6,5 %"')
    doc_fee_rate = document_text("Fee Rate (document)", 'e.g. "20 %"')
    doc_term = document_text("Term (document)", 'e.g. "12 tháng"')
    doc_date_start = document_text("Start Date (document)")
    doc_date_end = document_text("End Date (document)")
    doc_date_settled = document_text("Settlement Date (document)")
    doc_product_name = document_text("Product (document)")
    doc_investor_address = document_text("Investor Address (document)", "Street, city and country on one line.")
    doc_investor_phone = document_text("Investor Phone (document)")
    doc_investor_id_issue_date = document_text("ID Issue Date (document)")
    doc_company_address = document_text("Company Address (document)")
    doc_settlement_base_profit = document_text("Settlement: Base Profit (document)")
    doc_settlement_gross_profit = document_text("Settlement: Gross Profit (document)")
    doc_settlement_excess_profit = document_text("Settlement: Profit Above Base (document)")
    doc_settlement_fee = document_text("Settlement: PI Fee (document)")
    doc_settlement_investor_profit = document_text("Settlement: Investor Profit (document)")
    doc_settlement_payout = document_text("Settlement: Payout (document)")

    @api.depends("principal", "currency_id", "base_rate", "fee_rate", "term_months", "date_start", "date_end",
                 "date_settled", "product_id.name", "partner_id.street", "partner_id.street2", "partner_id.city",
                 "partner_id.state_id", "partner_id.country_id", "partner_id.mobile", "partner_id.phone",
                 "partner_id.pi_id_issue_date", "company_id.street", "company_id.street2", "company_id.city",
                 "company_id.state_id", "company_id.country_id",
                 *(f"settlement_{key}" for key in SETTLEMENT_TEXTS))
    @api.depends_context("lang")
    def _compute_document_texts(self):
        env = self.env
        for contract in self:
            currency = contract.currency_id

            def amount(value, currency=currency):
                return format_amount(env, value or 0, currency)

            def day(value):
                return format_date(env, value) if value else ""

            partner = contract.partner_id
            company = contract.company_id
            contract.doc_principal = amount(contract.principal)
            contract.doc_base_rate = contract._format_rate(contract.base_rate)
            contract.doc_fee_rate = contract._format_rate(contract.fee_rate)
            contract.doc_term = env._("%(months)s months", months=contract.term_months)
            contract.doc_date_start = day(contract.date_start)
            contract.doc_date_end = day(contract.date_end)
            contract.doc_date_settled = day(contract.date_settled)
            # The product's name is part of the investor's own contract, but an
            # investor cannot read products: this one name is read as superuser.
            contract.doc_product_name = contract.sudo().product_id.name or ""
            contract.doc_investor_address = contract_text.one_line(
                partner.street, partner.street2, partner.city, partner.state_id.name, partner.country_id.name)
            contract.doc_investor_phone = partner.mobile or partner.phone or ""
            contract.doc_investor_id_issue_date = day(partner.pi_id_issue_date)
            contract.doc_company_address = contract_text.one_line(
                company.street, company.street2, company.city, company.state_id.name, company.country_id.name)
            for key in SETTLEMENT_TEXTS:
                # Blank before settlement: the document prints its dotted default instead.
                value = contract[f"settlement_{key}"]
                contract[f"doc_settlement_{key}"] = amount(value) if contract.date_settled else ""

    def _format_rate(self, rate):
        """A percent the language's way: "6,5 %" in Vietnamese, "6.5%" in English."""
        number = formatLang(self.env, rate or 0.0, digits=contract_text.rate_decimals(rate))
        return self.env._("%(rate)s%%", rate=number)

    def _search_document_text(self, operator, value):
        raise UserError(self.env._("Texts of the documents cannot be searched: search on the value itself."))

    @api.model
    def mail_allowed_qweb_expressions(self):
        """Stock's list of placeholders a template may use without being code, plus PI's document texts."""
        texts = tuple(f"object.{name}" for name in self._fields if name.startswith("doc_"))
        return super().mail_allowed_qweb_expressions() + DOCUMENT_PLACEHOLDERS + texts


class ReportPiContractDocument(models.AbstractModel):
    """Fills the document bodies before the report's QWeb runs, so an access
    error (a printer who may not read the contract, code in a body) reaches
    the caller as such, with its message, instead of a template error."""

    _name = "report.pi_contracts.report_pi_contract_document"
    _description = "Contract Document Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["pi.investment.contract"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": docs._name,
            "docs": docs,
            "bodies": {doc.id: doc._get_document_html() for doc in docs},
        }
