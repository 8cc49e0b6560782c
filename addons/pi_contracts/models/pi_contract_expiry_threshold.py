import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class PiContractExpiryThreshold(models.Model):
    """A number of days before a contract's end date: the financial policy lists
    those on which the consultant and the managers are warned ("30 ngày",
    "7 ngày").

    Whole days, one record each: a list no reader takes for a decimal number,
    as "30,7" reads in Vietnamese.
    """

    _name = "pi.contract.expiry.threshold"
    _description = "Expiry Notice Day"
    _order = "days desc, id"

    days = fields.Integer(string="Days Before the End Date", required=True)

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "An expiry notice comes at least one day before the end date."),
        ("days_unique", "unique(days)", "Each number of days is listed once."),
    ]

    @api.depends("days")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for threshold in self:
            threshold.display_name = self.env._("%(days)s days", days=threshold.days)

    @api.model
    def _search_display_name(self, operator, value):
        # "30" or "30 ngày" typed in the policy's tags finds 30 days; text finds none.
        if operator in ("ilike", "=", "=ilike") and isinstance(value, str):
            if not value.strip():
                return expression.TRUE_DOMAIN
            days = self._parse_days(value)
            return [("days", "=", days)] if days else expression.FALSE_DOMAIN
        return super()._search_display_name(operator, value)

    @api.model
    def name_create(self, name):
        days = self._parse_days(name)
        if not days:
            raise ValidationError(self.env._(
                "Type a whole number of days before the end date, e.g. 15."))
        threshold = self.search([("days", "=", days)], limit=1) or self.create({"days": days})
        return threshold.id, threshold.display_name

    @api.model
    def _parse_days(self, text):
        """15 for "15" or "15 ngày"; None for anything else."""
        match = re.fullmatch(r"\s*(\d{1,4})\s*(?:\D+)?", text or "")
        if not match or not int(match.group(1)):
            return None
        return int(match.group(1))
