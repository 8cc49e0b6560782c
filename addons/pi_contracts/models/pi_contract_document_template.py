from odoo import api, fields, models


class PiContractDocumentTemplate(models.Model):
    """A contract document (contract, renewal, settlement) that PI staff write
    in the HTML editor, with placeholders such as
    ``<t t-out="object.partner_id.name"/>`` rendered for one contract and
    printed on the company letterhead by the report
    ``pi_contracts.action_report_pi_contract_document``.

    Edits take effect at the next print: no developer, no module upgrade.
    """

    _name = "pi.contract.document.template"
    _description = "Contract Document Template"
    _inherit = ["mail.render.mixin", "mail.thread"]
    _order = "kind, sequence, id"
    # Like mail.template: PI's own templates are trusted to call the helpers of
    # the rendering context (format_date, format_amount...); editing one that
    # does needs the stock "Mail Template Editor" group.
    _unrestricted_rendering = True

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(
        [("contract", "Contract"), ("renewal", "Renewal"), ("settlement", "Settlement")],
        required=True, default="contract", tracking=True,
        help="Which document of a contract this template prints.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    body = fields.Html(
        render_engine="qweb", render_options={"post_process": True}, sanitize="email_outgoing",
        help="Type /field in the editor to insert a placeholder of the contract.")
    report_name = fields.Char(
        string="PDF File Name", translate=True,
        help="File name of the printed PDF, without extension; the contract reference is added.")

    def _compute_render_model(self):
        self.render_model = "pi.investment.contract"

    @api.model
    def _get_default(self, kind, product=None):
        """The template of ``kind`` for ``product``, else the first active one of that kind."""
        field = {"contract": "contract_template_id", "renewal": "renewal_template_id",
                 "settlement": "settlement_template_id"}[kind]
        template = product[field] if product else self.browse()
        return template or self.search([("kind", "=", kind)], limit=1)

    def _render_body(self, contract):
        """The body of this template filled in for ``contract``, in the investor's language."""
        self.ensure_one()
        lang = contract.partner_id.lang or self.env.lang
        template = self.with_context(lang=lang)
        return template._render_field("body", contract.ids, engine="qweb", options={"post_process": True})[contract.id]
