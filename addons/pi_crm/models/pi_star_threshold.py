from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import lead_scoring


class PiStarThreshold(models.Model):
    """Minimum score for 1 to 5 stars, set by managers."""

    _name = "pi.star.threshold"
    _description = "Star Threshold"
    _order = "stars"
    _rec_name = "stars"

    stars = fields.Integer(required=True)
    min_points = fields.Integer(string="Minimum points", required=True)

    _sql_constraints = [
        ("stars_unique", "unique(stars)", "Each number of stars can have only one threshold."),
        ("stars_range", "CHECK(stars BETWEEN 1 AND 5)", "Stars go from 1 to 5."),
    ]

    @api.constrains("stars", "min_points")
    def _check_increasing(self):
        self._check_threshold_levels({t.stars: t.min_points for t in self.search([])})

    @api.model
    def _check_threshold_levels(self, levels):
        """Raise a (translated) ValidationError unless ``{stars: min_points}`` increases."""
        ordered = sorted(levels.items())
        try:
            lead_scoring.check_thresholds([points for _stars, points in ordered])
        except lead_scoring.ThresholdError as error:
            if error.code == lead_scoring.TOO_MANY:
                raise ValidationError(self.env._("Stars go from 1 to 5.")) from error
            raise ValidationError(
                self.env._(
                    "The minimum points must increase with the stars: each star needs more points "
                    "than the one before (now: %(levels)s).",
                    levels=", ".join(f"{stars}★ ≥ {points}" for stars, points in ordered),
                )
            ) from error

    @api.model
    def _get_thresholds(self):
        """Minimum points of 1, 2, ... stars, in that order."""
        return list(self._get_thresholds_cached())

    @api.model
    @tools.ormcache()
    def _get_thresholds_cached(self):
        # Read on every interaction logged (star recompute), changed a few times a year.
        return tuple(self.sudo().search([], limit=lead_scoring.MAX_STARS).mapped("min_points"))

    @api.model
    def _stars_for(self, score, thresholds=None):
        return str(lead_scoring.stars_for(score, self._get_thresholds() if thresholds is None else thresholds))

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        levels = {t.stars: t.min_points for t in self.search([])}
        levels.update({vals.get("stars"): vals.get("min_points", 0) for vals in vals_list})
        self._check_threshold_levels(levels)  # before writing anything
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        self._recompute_stars()
        return records

    def write(self, vals):
        if {"stars", "min_points"} & set(vals):
            levels = {t.stars: t.min_points for t in self.search([]) - self}
            for threshold in self:
                levels[vals.get("stars", threshold.stars)] = vals.get("min_points", threshold.min_points)
            self._check_threshold_levels(levels)  # before writing anything
        result = super().write(vals)
        self.env.registry.clear_cache()
        self._recompute_stars()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        self._recompute_stars()
        return result

    @api.model
    def _recompute_stars(self):
        """Thresholds are not a field dependency: re-rank every lead and customer."""
        for model in ("crm.lead", "res.partner"):
            Model = self.env[model].sudo().with_context(active_test=False)
            records = Model.search([("id", "!=", False)])  # every record, on purpose
            self.env.add_to_compute(Model._fields["pi_stars"], records)
