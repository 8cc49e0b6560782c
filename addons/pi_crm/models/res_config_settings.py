from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pi_loyal_min_renewals = fields.Integer(
        string="Loyal after renewals",
        config_parameter="pi_crm.loyal_min_renewals",
        help="A member who renewed at least this many times is loyal (0: not used).",
    )
    pi_loyal_min_principal = fields.Float(
        string="Loyal from total invested",
        digits=(16, 0),
        config_parameter="pi_crm.loyal_min_principal",
        help="A member whose contracts total at least this principal, in đồng, is loyal (0: not used).",
    )

    def set_values(self):
        params = self.env["ir.config_parameter"].sudo()
        before = (params.get_param("pi_crm.loyal_min_renewals"), params.get_param("pi_crm.loyal_min_principal"))
        result = super().set_values()
        after = (params.get_param("pi_crm.loyal_min_renewals"), params.get_param("pi_crm.loyal_min_principal"))
        if before != after:
            members = self.env["res.partner"].sudo().with_context(active_test=False).search(
                [("pi_segment", "in", ("member", "loyal"))]
            )
            members._pi_recompute_segment()
        return result
