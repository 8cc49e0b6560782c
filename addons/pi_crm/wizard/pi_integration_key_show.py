from odoo import fields, models


class PiIntegrationKeyShow(models.AbstractModel):
    """Shows a new key once. Abstract, so the key only ever lives in the
    dialog's context, never in a table (the stock API-key dialog does the same)."""

    _name = "pi.integration.key.show"
    _description = "Show Integration Key"

    # 'id' lets the form's onchange return the default values.
    id = fields.Id()
    key = fields.Char(readonly=True)
    key_name = fields.Char(readonly=True)
