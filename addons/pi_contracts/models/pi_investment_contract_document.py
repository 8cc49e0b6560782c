from odoo import api, fields, models
from odoo.tools import format_amount, format_date, formatLang

from ..tools import contract_text
from .pi_document_text_mixin import document_text

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
# Besides the documents' placeholders, what the expiry email's settings use.
MAIL_PLACEHOLDERS = (
    "object.user_id.lang",
)
EXPIRY_MAIL_DATA = "pi_contracts/data/mail_template_data.xml"
# SHA-256 of the texts earlier versions of the expiry email shipped: Vietnamese as
# source, with code (conditions, function calls) PI's managers could not keep
# when editing. A database still holding one gets the current text on update.
EXPIRY_MAIL_SHIPPED_BEFORE = {
    "mail_template_contract_expiry": {
        "name": {"289f4fe5932270a3ed682aac4e2d92d19720249d74661e1a117d58d66b9381cd"},
        "subject": {"f19f7778ade7952011c9e970797d02967d9c418dd6d65a6825a21ea4e321b9c0"},
        "body_html": {"3727070537f365d12610320eacbaea05515d36f3b39fc41f2ddd0418b28ccb35"},
        "email_from": {"0b5ff4c3892e12aa17ed69d9e76fd38a0a984dbd7c8adccaa391fbe9d186aa9c"},
        "lang": {"43d0fb9cbe86212a54d3ca83667738b41020639644055d983b537ead8d488a72"},
        "description": {"d7882c119991414d0488a286416fea77c4b65694de719be655b273e23ba408ca"},
    },
}
SETTLEMENT_TEXTS = ("base_profit", "gross_profit", "excess_profit", "fee", "investor_profit", "payout")


class PiInvestmentContract(models.Model):
    """The contract's values as its documents print them: ready-formatted
    texts in the render language (the investor's), so that a document body
    needs nothing but placeholders ``object.doc_…``.
    """

    _name = "pi.investment.contract"
    _inherit = ["pi.investment.contract", "pi.document.text.mixin"]
    _pi_placeholders = DOCUMENT_PLACEHOLDERS + MAIL_PLACEHOLDERS

    doc_principal = document_text("Principal (document)", 'e.g. "1.500.000.000 ₫"')
    doc_base_rate = document_text("Base Rate (document)", 'e.g. "6,5 %"')
    doc_fee_rate = document_text("Fee Rate (document)", 'e.g. "20 %"')
    doc_term = document_text("Term (document)", 'e.g. "12 months", in the language of the document')
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
    doc_days_to_end = document_text("Days to End (document)", 'e.g. "30": days from today to the end date.',
                                    compute="_compute_doc_days_to_end")

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

    @api.depends("date_end")
    @api.depends_context("lang", "tz", "pi_date_ref")
    def _compute_doc_days_to_end(self):
        # The expiry cron counts from the day it runs for (context ``pi_date_ref``).
        today = fields.Date.to_date(self.env.context.get("pi_date_ref")) or fields.Date.context_today(self)
        for contract in self:
            days = (contract.date_end - today).days if contract.date_end else 0
            contract.doc_days_to_end = formatLang(self.env, days, digits=0)

    @api.model
    def _update_shipped_mail_templates(self):
        """The expiry email's current text where the database still has one
        shipped before (the template is ``noupdate``); runs on each update."""
        self.env["ir.model.data"]._pi_update_shipped_values(EXPIRY_MAIL_DATA, EXPIRY_MAIL_SHIPPED_BEFORE)

    def _format_rate(self, rate):
        """A percent the language's way: "6,5 %" in Vietnamese, "6.5%" in English."""
        number = formatLang(self.env, rate or 0.0, digits=contract_text.rate_decimals(rate))
        return self.env._("%(rate)s%%", rate=number)


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
