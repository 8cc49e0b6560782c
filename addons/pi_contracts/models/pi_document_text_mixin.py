from odoo import api, fields, models
from odoo.exceptions import UserError


def document_text(string, help_text=None, compute="_compute_document_texts"):
    """A value as PI's documents and emails print it: a ready-formatted text,
    computed in the render language (the recipient's), not stored.

    Searchable in name only (a search method that refuses): the editor's
    placeholder list (stock popover) offers searchable fields only.
    """
    return fields.Char(string=string, help=help_text, compute=compute, search="_search_document_text")


class PiDocumentTextMixin(models.AbstractModel):
    """Texts that PI's templates (documents, emails) print with placeholders
    only: the ``doc_*`` fields of the model, plus ``_pi_placeholders``, are
    allowed in stock's restricted rendering, so staff who are not template
    editors can write and send them."""

    _name = "pi.document.text.mixin"
    _description = "Texts for Documents and Emails"

    # Field paths, besides the ``doc_*`` fields, that the model's templates may print.
    _pi_placeholders = ()

    def _search_document_text(self, operator, value):
        raise UserError(self.env._("Texts of the documents cannot be searched: search on the value itself."))

    @api.model
    def mail_allowed_qweb_expressions(self):
        """Stock's placeholders a template may use without being code, plus PI's texts."""
        texts = tuple(f"object.{name}" for name in self._fields if name.startswith("doc_"))
        return super().mail_allowed_qweb_expressions() + tuple(self._pi_placeholders) + texts
