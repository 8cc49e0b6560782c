from odoo import api, fields, models, tools
from odoo.osv import expression

from ..tools import consultation, marketing_care


class PiChannelPoint(models.Model):
    _name = "pi.channel.point"
    _description = "Points per Interaction Channel"
    _order = "channel"

    # the interaction channels, and the opens and clicks of PI's emails (pi.care.mixin)
    channel = fields.Selection(consultation.CHANNELS + marketing_care.ENGAGEMENT_CHANNELS, required=True)
    points = fields.Integer(help="Points every interaction on this channel earns, completed or not.")

    _sql_constraints = [
        ("channel_unique", "unique(channel)", "Each channel can have only one points line."),
    ]

    @api.model
    def _get_points_by_channel(self):
        return dict(self._get_points_by_channel_cached())

    @api.model
    @tools.ormcache()
    def _get_points_by_channel_cached(self):
        # Read on every interaction logged, changed a few times a year.
        return tuple((line.channel, line.points) for line in self.sudo().search([]))

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env.registry.clear_cache()
        lines._recompute_interaction_points()
        return lines

    def write(self, vals):
        channels = set(self.mapped("channel"))
        result = super().write(vals)
        self.env.registry.clear_cache()
        channels |= set(self.mapped("channel"))
        self._recompute_interaction_points(channels)
        return result

    def unlink(self):
        channels = set(self.mapped("channel"))
        result = super().unlink()
        self.env.registry.clear_cache()
        self.env["pi.channel.point"]._recompute_interaction_points(channels)
        return result

    def _recompute_interaction_points(self, channels=None):
        channels = list(channels if channels is not None else set(self.mapped("channel")))
        if not channels:
            return
        self._recompute_engagement_scores(channels)
        Interaction = self.env["pi.interaction"].sudo()
        interactions = Interaction.search([("channel", "in", channels)])
        # a config change is not a field dependency: recompute the points and
        # let the scores of leads and customers that depend on them follow
        self.env.add_to_compute(Interaction._fields["points"], interactions)
        interactions.modified(["points"])

    def _recompute_engagement_scores(self, channels):
        """The points of opens or clicks changed: the scores of whoever opened or clicked follow."""
        count_fields = [count_field for channel, count_field in (
            (marketing_care.OPEN, "pi_open_count"), (marketing_care.CLICK, "pi_click_count")) if channel in channels]
        if not count_fields:
            return
        for model in ("crm.lead", "res.partner"):
            Model = self.env[model].sudo().with_context(active_test=False)
            records = Model.search(expression.OR([[(count_field, ">", 0)] for count_field in count_fields]))
            records.modified(count_fields)  # the scores, then the stars, are recomputed
