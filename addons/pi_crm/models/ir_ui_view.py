from odoo import models

# Browser widgets that send what a user types to Odoo IAP and to Clearbit.
PARTNER_AUTOCOMPLETE_WIDGETS = ("field_partner_autocomplete", "res_partner_many2one")


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    def _postprocess_tag_field(self, node, name_manager, node_info):
        # Without partner autocomplete, plain fields: the autocomplete widgets send
        # every name typed to Odoo IAP and, from the browser, to Clearbit.
        # (Views are cached: the setting clears the cache when it changes.)
        if node.get("widget") in PARTNER_AUTOCOMPLETE_WIDGETS:
            if not self.env["iap.account"]._pi_service_enabled("partner_autocomplete"):
                del node.attrib["widget"]
        return super()._postprocess_tag_field(node, name_manager, node_info)
