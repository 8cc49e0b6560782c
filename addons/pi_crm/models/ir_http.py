from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Each allowed company's currency, for amounts the web client gets without
        one (pivot cells, grouped list totals): see static/src/views/number_format.js."""
        result = super().session_info()
        companies = result.get("user_companies", {}).get("allowed_companies", {})
        for company in self.env["res.company"].browse(list(companies)):
            companies[company.id]["currency_id"] = company.currency_id.id
        return result
