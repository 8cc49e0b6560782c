from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.base.models.ir_qweb import QWebException

DOCUMENT_DATA = "pi_contracts/data/pi_contract_document_template_data.xml"
# SHA-256 of the texts earlier versions of the documents shipped: bodies with
# code and self-closing tags (which neither print for staff in restricted mode
# nor survive the editor), file names without accents, and the names and file
# names shipped in Vietnamese as their source (English now, Vietnamese in
# i18n/vi.po). A database still holding one gets the current text on update;
# an edited one is left alone.
DOCUMENTS_SHIPPED_BEFORE = {
    "document_template_contract": {
        "body": {"d6c53e3e2e599068d7f448da9f12256127f2de63e596ad84e55c7676cba95de4"},
        "name": {"f8d276575e38019206e3099df5529b92aece86c3011a59c3042e7729bf66868b"},
        "report_name": {"7329bd2bd480fadd7677661172ac419997d46df2f6ec723334062f91e9cf44ef",
                        "fba6980ad52d178143ab4793964bca97c6d03c8f7a1e4c60ffb16df73d225539"},
    },
    "document_template_renewal": {
        "body": {"814cb85c526c7e77c9ad01bda9a5beee07cc7f67c5175e25772d2f7c8bda0a30"},
        "name": {"6cfe92d6a6e39bdf5174837378ce19baccb953c276c33682d18162e845a60407"},
        "report_name": {"7bb9c70a8008ea386967528af2a3e1bc8ec96f4fc02aa5f6d0e017a17d382005",
                        "5d5aeed6121d1238bee838e9cfba455e8dc921b917dd702c6a16b8a5a121866c"},
    },
    "document_template_settlement": {
        "body": {"6112e93c15af6df60871a5213536ef179becfaf8b593f5dfc437d89b4a1824bf"},
        "name": {"4646b64ac9ba503fbdfb0a40ee3782e49af7e3a8375e35892a26d3de15b11e69"},
        "report_name": {"180801caf63b50195e2abe28b9653953ea4e826236955bdededcbcec6b7c51e3",
                        "8416757da29b7403b9430b025f2b77c872d9abf3e0f0d4807915b1dbf142a409"},
    },
}


class PiContractDocumentTemplate(models.Model):
    """A contract document (contract, renewal, settlement) that PI staff write
    in the HTML editor, with placeholders picked from a list (``/`` then
    "Dynamic Placeholder"), such as ``<t t-out="object.doc_principal">…</t>``,
    rendered for one contract and printed on the company letterhead by the
    report ``pi_contracts.action_report_pi_contract_document``.

    Edits take effect at the next print: no developer, no module upgrade.

    Security: rendering is stock's restricted mode (``mail.render.mixin`` with
    ``_unrestricted_rendering`` left False) with the rights of the one who
    prints. A placeholder is a field path of the contract listed by
    ``pi.investment.contract.mail_allowed_qweb_expressions``; anything else
    (a Python expression, ``t-if``...) is saved only by a member of
    ``mail.group_mail_template_editor`` (PI: the full-rights administrator),
    and such a body then prints only for template editors.
    """

    _name = "pi.contract.document.template"
    _description = "Contract Document Template"
    _inherit = ["mail.render.mixin", "template.reset.mixin", "mail.thread"]
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(
        [("contract", "Contract"), ("renewal", "Renewal"), ("settlement", "Settlement")],
        required=True, default="contract", tracking=True,
        help="Which document of a contract this template prints.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    # Stored as HTML (not XHTML): an empty <em></em> stays open-and-closed, so
    # the browser's editor reads back what was saved.
    body = fields.Html(
        render_engine="qweb", render_options={"post_process": True}, sanitize="email_outgoing",
        sanitize_output_method="html",
        help="Type / then \"Dynamic Placeholder\" in the editor to insert a value of the contract.")
    has_expressions = fields.Boolean(
        compute="_compute_has_expressions", string="Uses Expressions",
        help="The body holds code beyond the placeholders of the list: only template editors can print it.")
    report_name = fields.Char(
        string="PDF File Name", translate=True,
        help="File name of the printed PDF, without extension; the contract reference is added.")

    def _compute_render_model(self):
        self.render_model = "pi.investment.contract"

    @api.depends("body")
    def _compute_has_expressions(self):
        for template in self:
            try:
                template.has_expressions = template._has_unsafe_expression_template_qweb(
                    template.body, "pi.investment.contract")
            except QWebException:  # a body that does not even compile is not a placeholder body either
                template.has_expressions = True

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates._check_access_right_dynamic_template()
        return templates

    def write(self, vals):
        if self.env.context.get("reset_template"):
            # Stock's reset (template.reset.mixin) blanks every field its data file
            # leaves out; here that would also mean the chatter and the computed fields.
            thread_fields = self.env["mail.thread"]._fields
            vals = {name: value for name, value in vals.items()
                    if self._fields[name].store and name not in thread_fields}
        result = super().write(vals)
        # As stock does for mail.template: code in a body is for template editors only.
        self._check_access_right_dynamic_template()
        return result

    def _update_field_translations(self, fname, translations, digest=None, source_lang=None):
        result = super()._update_field_translations(fname, translations, digest=digest, source_lang=source_lang)
        for lang in translations:
            self.with_context(lang=lang)._check_access_right_dynamic_template()
        return result

    # ------------------------------------------------------------------ actions
    def reset_template(self):
        """The "Reset Template" button: stock's reset (``template.reset.mixin``)
        loads the shipped record and its translations again. Whoever may edit
        the templates may reset them."""
        self.check_access("write")
        # As superuser only for the data loader, which also writes the record's
        # ir.model.data entry (no right of PI's managers); what it writes is the
        # shipped text of these very records, placeholders only.
        super(PiContractDocumentTemplate, self.sudo()).reset_template()
        return True

    # ------------------------------------------------------------------ business
    @api.model
    def _get_default(self, kind, product=None):
        """The template of ``kind`` for ``product``, else the first active one of that kind."""
        field = {"contract": "contract_template_id", "renewal": "renewal_template_id",
                 "settlement": "settlement_template_id"}[kind]
        template = product[field] if product else self.browse()
        return template or self.search([("kind", "=", kind)], limit=1)

    def _render_body(self, contract):
        """The body of this template filled in for ``contract``, in the investor's language.

        Rendered with the rights of the current user (the printer): placeholders
        read the contract as they may; code runs only for template editors.
        """
        self.ensure_one()
        # The wording itself is read as superuser: an investor has no access to
        # the templates, and the text is what the printed document shows anyway.
        body = self.sudo().body
        renderer = self.with_context(lang=contract.partner_id.lang or self.env.lang)
        if renderer.env.su and renderer._has_unsafe_expression_template_qweb(body, contract._name):
            # Printing on someone's behalf (a portal link) runs as superuser: then
            # only placeholders are filled in, no code of the body runs.
            raise AccessError(self._code_refused_message())
        try:
            rendered = renderer._render_template(
                body, contract._name, contract.ids, engine="qweb", options={"post_process": True})
        except AccessError as error:
            cause = error.__cause__
            if isinstance(cause, QWebException) and isinstance(cause.__cause__, PermissionError):
                raise AccessError(self._code_refused_message()) from error
            raise
        return rendered[contract.id]

    def _code_refused_message(self):
        return self.env._(
            "The document template \"%(name)s\" contains code that only a template editor may run. "
            "Ask a full-rights administrator to replace it with placeholders from the list.",
            name=self.name)

    @api.model
    def _update_shipped_templates(self):
        """The documents' current text where the database still has one shipped
        before (the templates are ``noupdate``); runs on each update."""
        self.env["ir.model.data"]._pi_update_shipped_values(DOCUMENT_DATA, DOCUMENTS_SHIPPED_BEFORE)
        # Templates installed before they could be reset learn the file they come from.
        for record_id in DOCUMENTS_SHIPPED_BEFORE:
            template = self.env.ref(f"pi_contracts.{record_id}", raise_if_not_found=False)
            if template and not template.template_fs:
                template.template_fs = DOCUMENT_DATA

    @api.model
    def _revoke_template_editor_from_managers(self):
        """PI managers edit documents and emails with placeholders only; the
        stock "Mail Template Editor" group (code in templates) is the full-rights
        administrator's. Managers who got it from an earlier version lose it.
        """
        if not self.env["ir.config_parameter"].sudo().get_param("mail.restrict.template.rendering"):
            return  # every user is a template editor by the company's own choice
        editor = self.env.ref("mail.group_mail_template_editor")
        keep = self.env.ref("pi_crm.group_pi_admin") | self.env.ref("base.group_system")
        managers = self.env.ref("pi_crm.group_pi_manager").users - keep.users
        if managers & editor.users:
            editor.sudo().write({"users": [(3, user.id) for user in managers & editor.users]})
