from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.mail_thread import STAFF_CARE_KINDS


class MailComposeMessage(models.TransientModel):
    """The stock composer, with PI's sales library and what the email is for.

    ``pi_care_kind`` marks the messages (comment mode) or emails (mass mode) it
    sends, so their opens and clicks are tracked (mail.mail); the intro kit opens it
    with ``intro``. ``pi_sales_document_ids``: library documents sent as attachments,
    the introduction documents by default with a template that asks for them.
    """

    _inherit = "mail.compose.message"

    pi_care_kind = fields.Selection(selection="_selection_pi_care_kind", string="Sent For")
    pi_sales_document_ids = fields.Many2many(
        "pi.sales.document", string="Library Documents",
        compute="_compute_pi_sales_document_ids", store=True, readonly=False,
        help="Documents of PI's sales library sent with this email (a copy of each file).")

    @api.model
    def _selection_pi_care_kind(self):
        return self.env["mail.message"]._fields["pi_care_kind"]._description_selection(self.env)

    @api.depends("template_id")
    def _compute_pi_sales_document_ids(self):
        for composer in self:
            if composer.template_id.pi_attach_intro_documents:
                composer.pi_sales_document_ids = self.env["pi.sales.document"]._pi_intro_documents()
            elif not composer.pi_sales_document_ids:
                composer.pi_sales_document_ids = False

    @api.model_create_multi
    def create(self, vals_list):
        self._pi_check_care_kind(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._pi_check_care_kind([vals])
        return super().write(vals)

    @api.model
    def _pi_check_care_kind(self, vals_list):
        """Staff mark what they send as an introduction or marketing, nothing else:
        a statement or a greeting comes from PI's jobs only."""
        kinds = {vals.get("pi_care_kind") for vals in vals_list} | {self.env.context.get("default_pi_care_kind")}
        if not self.env.su and kinds - {None, False, *STAFF_CARE_KINDS}:
            raise AccessError(self.env._("Only PI's own jobs send statements and greetings."))

    def _action_send_mail(self, auto_commit=False):
        for composer in self.filtered("pi_sales_document_ids"):
            # a copy of each file, on the composer until stock's posting moves it to the document
            composer.attachment_ids |= composer.pi_sales_document_ids._pi_copy_attachments(composer._name, composer.id)
        return super()._action_send_mail(auto_commit=auto_commit)

    def _prepare_mail_values_static(self):
        values = super()._prepare_mail_values_static()
        if self.pi_care_kind:
            values["pi_care_kind"] = self.pi_care_kind
        return values
