from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import contract_money


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

    _sql_constraints = [
        ("product_date_unique", "UNIQUE(product_id, date)", "A product has one NAV per date."),
    ]

    @api.constrains("nav_index")
    def _check_nav_positive(self):
        if any(line.nav_index <= 0 for line in self):
            raise ValidationError(self.env._("The NAV index must be greater than zero."))

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
