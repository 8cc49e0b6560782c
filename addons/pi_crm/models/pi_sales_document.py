from odoo import api, fields, models

# the kinds of PI's sales documents; "intro" ones go with the introduction email
KINDS = [
    ("intro", "Service Introduction"),
    ("weekly_report", "Weekly Report Sample"),
    ("contract_sample", "Contract Sample"),
    ("procedure", "Procedure"),
    ("other", "Other"),
]


class PiSalesDocument(models.Model):
    """A document of PI's sales library (service introduction, sample weekly
    report, contract samples, procedures) that staff attach to their emails.

    Staff read the library; managers keep it (access rights). The file is an
    attachment of the document (``attachment=True``); emails get a copy of it
    (``_pi_copy_attachments``), so replacing a file later never changes what a
    customer was sent.
    """

    _name = "pi.sales.document"
    _description = "Sales Document"
    _order = "kind, sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(KINDS, required=True, default="intro", index=True)
    description = fields.Text(translate=True)
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.onchange("file_name")
    def _onchange_file_name(self):
        if self.file_name and not self.name:
            self.name = self.file_name.rsplit(".", 1)[0]

    @api.model
    def _pi_intro_documents(self):
        """The active introduction documents of the user's companies (or of none)."""
        return self.search([("kind", "=", "intro"), ("company_id", "in", self.env.companies.ids + [False])])

    def _pi_copy_attachments(self, res_model, res_id):
        """A copy of each document's file, as a plain attachment of ``res_model``/``res_id``
        (what an email sends and keeps).

        Checks that the user may read the documents, then copies as superuser: the
        file's own attachment is bound to the document's ``file`` field, which
        ``ir.attachment`` lets only field readers see; the copy is the user's."""
        self.check_access("read")
        attachments = self.env["ir.attachment"]
        for document in self:
            source = self.env["ir.attachment"].sudo().search(
                [("res_model", "=", self._name), ("res_field", "=", "file"), ("res_id", "=", document.id)], limit=1)
            if source:
                attachments |= source.copy({
                    "name": document.file_name, "res_model": res_model, "res_id": res_id, "res_field": False,
                    "public": False,
                }).with_env(self.env)
        return attachments
