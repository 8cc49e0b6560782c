from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _pi_render_pdf_per_record(self, report_ref, res_ids):
        """``{res_id: PDF bytes}``: one PDF per record of the QWeb report ``report_ref``."""
        return {res_id: self._render_qweb_pdf(report_ref, [res_id])[0] for res_id in res_ids}
