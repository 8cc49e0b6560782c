from odoo import models

from .iap_account import PARTNER_AUTOCOMPLETE_WIDGETS, iap_service_enabled


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    def _postprocess_tag_field(self, node, name_manager, node_info):
        # Without partner autocomplete, plain fields: the autocomplete widgets send
        # every name typed to Odoo IAP and, from the browser, to Clearbit.
        # (Views are cached: the setting clears the cache when it changes.)
        if node.get("widget") in PARTNER_AUTOCOMPLETE_WIDGETS and not iap_service_enabled(
            self.env, "partner_autocomplete"
        ):
            del node.attrib["widget"]
        return super()._postprocess_tag_field(node, name_manager, node_info)
