from odoo import api, fields, models

from ..tools import contract_money
from odoo.exceptions import ValidationError


class PiProductPerformance(models.Model):
    """One NAV value of a product: the cumulative index on a date (1.0 at launch).

    Staff enter it weekly or import it from Excel with the stock import.
    """

    _name = "pi.product.performance"
    _description = "Product Performance (NAV)"
    _order = "product_id, date desc"
    _rec_name = "date"

    product_id = fields.Many2one("pi.investment.product", required=True, index=True, ondelete="cascade")
    date = fields.Date(required=True, default=fields.Date.context_today)
    nav_index = fields.Float(string="NAV Index", digits=(16, 6), required=True,
                             help="Cumulative value of one unit invested at launch (1.000000 at launch).")
    note = fields.Char()

    # No SQL constraints on purpose: the Python checks below give the user a
    # clear message instead of a database error, and a product gets a few
    # dozen NAV values a year, so the extra search costs nothing.

    @api.constrains("nav_index")
    def _check_nav_positive(self):
        if any(line.nav_index <= 0 for line in self):
            raise ValidationError(self.env._("The NAV index must be greater than zero."))

    @api.constrains("product_id", "date")
    def _check_one_per_date(self):
        for line in self:
            twin = self.search([("id", "!=", line.id), ("product_id", "=", line.product_id.id),
                                ("date", "=", line.date)], limit=1)
            if twin:
                raise ValidationError(self.env._(
                    "%(product)s already has a NAV on %(date)s (%(nav)s).",
                    product=line.product_id.display_name, date=line.date.strftime("%d/%m/%Y"),
                    nav=twin.nav_index))

    @api.model
    def _get_nav_series(self, product_ids):
        """``{product id: NavSeries}`` of ``product_ids``, one query per product.

        NAV values are public figures of a product, read as superuser so that
        valuing a contract never depends on who asks.
        """
        self.flush_model(["product_id", "date", "nav_index"])
        series = {}
        for product_id in product_ids:
            if not product_id:
                continue
            self.env.cr.execute(
                "SELECT date, nav_index FROM pi_product_performance WHERE product_id = %s ORDER BY date",
                [product_id])
            series[product_id] = contract_money.NavSeries(self.env.cr.fetchall())
        return series
