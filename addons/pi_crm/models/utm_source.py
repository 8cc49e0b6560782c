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
    pi_automatic = fields.Boolean(
        string="Created by a Mailing", readonly=True, index=True,
        help="Made by stock for a mailing (or another document) to name it and tag its links; "
        "not one of PI's lead sources, so hidden from their list and drop-downs.",
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

    @api.model
    def _pi_lead_source_domain(self):
        """The sources PI's lead source list and drop-downs offer."""
        return [("pi_automatic", "=", False)]

    @api.model
    def _pi_create_automatic(self, names):
        """Create the sources stock makes for documents (one per mailing), flagged
        automatic so they stay out of PI's lead sources; returns them in order."""
        return self.create([{"name": name, "pi_automatic": True} for name in names])


class UtmSourceMixin(models.AbstractModel):
    """Stock creates one ``utm.source`` per mailing (its name is the mailing's
    name); PI keeps that mechanism (links and leads are tagged with it) but the
    source is flagged automatic, so PI's list of lead sources does not fill up."""

    _inherit = "utm.source.mixin"

    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals for vals in vals_list if not vals.get("source_id")]
        if missing:
            Source = self.env["utm.source"]
            names = [vals.get("name") or Source._generate_name(self, vals.get(self._rec_name)) for vals in missing]
            for vals, source in zip(missing, Source._pi_create_automatic(names), strict=True):
                vals["source_id"] = source.id
        return super().create(vals_list)
