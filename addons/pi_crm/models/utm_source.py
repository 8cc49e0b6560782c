from odoo import api, fields, models

DEFAULT_SEQUENCE = 100


class UtmSource(models.Model):
    """PI's channels (Được giao, Fanpage, Website, ...) come first in the source
    lists and drop-downs, before the sources stock apps and campaigns add."""

    _inherit = "utm.source"
    _order = "pi_sequence, id"

    pi_sequence = fields.Integer(
        string="Sequence", default=DEFAULT_SEQUENCE, help="Order of the sources in lists and drop-downs."
    )

    @api.model
    def _pi_order_sources(self):
        """Number PI's own sources (data/utm_source_data.xml, in file order) first.

        Run on install and on every update (a database installed before the
        sequence existed gets it too); a source staff moved keeps its place.
        """
        own = self.env["ir.model.data"].search([("module", "=", "pi_crm"), ("model", "=", self._name)], order="id")
        sources = self.browse(own.mapped("res_id")).exists()
        for sequence, source in enumerate(sources, start=1):
            if source.pi_sequence == DEFAULT_SEQUENCE:
                source.pi_sequence = sequence
