import base64
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from ..tools import sales_kpi
from ..tools.sales_kpi import COUNT, HOURS, MONEY, PERCENT, TEXT

_KPI_TEMP_TABLE = "pi_sales_summary_kpi"
_MANAGED_TEMP_TABLE = "pi_sales_summary_managed"


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class PiSalesSummary(models.TransientModel):
    """PI's "Tổng kết Sale": the sales figures of a period in one workbook, a sheet
    per view (consultants, products, sources, months, provinces).

    Managers only. Every sheet is one SQL query over the KPI report
    (``pi.kpi.report``, so the pivot views show the same figures) plus the
    contracts under management at the end of the period and the bonus lines;
    the SQL reads past record rules, hence the group check in ``action_export``.
    """

    _name = "pi.sales.summary"
    _description = "Sales Summary (Excel)"

    date_from = fields.Date(string="From", required=True,
                            default=lambda self: sales_kpi.month_start(fields.Date.context_today(self)))
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    team_id = fields.Many2one("crm.team", string="Sales Team",
                              help="Only this team's consultants; empty: every consultant.")
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        if any(summary.date_to < summary.date_from for summary in self):
            raise UserError(self.env._("The end of the period must not be before its start."))

    # ------------------------------------------------------------------ actions
    def action_export(self):
        self.ensure_one()
        self._check_can_export()
        title = self.env._("Sales summary from %(date_from)s to %(date_to)s",
                           date_from=format_date(self.env, self.date_from), date_to=format_date(self.env, self.date_to))
        if self.team_id:
            title = f"{title} — {self.team_id.name}"
        self._prepare_kpi_table()
        sheets = self.with_context(pi_sales_summary_kpi_ready=True)._get_sheets()
        content = sales_kpi.build_workbook(title, sheets, self.env._("Total"))
        self.write({
            "file": base64.b64encode(content),
            "file_name": f"tong-ket-sale-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}.xlsx",
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.file_name}?download=true",
            "target": "self",
        }

    def _check_can_export(self):
        """The figures are every consultant's (SQL, past record rules): managers only."""
        if not self.env.su and not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager exports the sales summary."))

    # ------------------------------------------------------------------ sheets
    def _get_sheets(self):
        """``[(sheet name, columns, rows)]``: a hook to add a sheet."""
        return [
            (self.env._("Consultants"), *self._sheet_consultants()),
            (self.env._("Products"), *self._sheet_products()),
            (self.env._("Sources"), *self._sheet_sources()),
            (self.env._("Months"), *self._sheet_months()),
            (self.env._("Provinces"), *self._sheet_provinces()),
        ]

    def _filters(self, alias, date_column=None):
        """The WHERE clause for table ``alias``: the user's companies, the team's
        consultants, and (when given) ``date_column`` within the period."""
        alias_sql = SQL.identifier(alias)
        # leads and interactions may have no company: they are everyone's
        clauses = [SQL("(%s.company_id IS NULL OR %s.company_id IN %s)", alias_sql, alias_sql,
                       tuple(self.env.companies.ids))]
        if self.team_id:
            users = self.team_id.crm_team_member_ids.filtered("active").user_id
            clauses.append(SQL("%s.user_id = ANY(%s)", alias_sql, users.ids or [0]))
        if date_column:
            clauses.append(SQL("%s BETWEEN %s AND %s", SQL.identifier(alias, date_column),
                               self.date_from, self.date_to))
        return SQL(" AND ").join(clauses)

    def _kpi_table(self):
        """The period's KPI rows, read once per export into a temporary table that
        every sheet then sums its own way (with the contracts under management at the
        end, ``_MANAGED_TEMP_TABLE``)."""
        if not self.env.context.get("pi_sales_summary_kpi_ready"):
            self._prepare_kpi_table()
        return SQL.identifier(_KPI_TEMP_TABLE)

    def _prepare_kpi_table(self):
        self.env.flush_all()
        # a year of events is summed in one hash aggregate: let it stay in memory (this transaction only)
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        # milliseconds of stored rows: compiling the query (JIT) would cost more than it saves
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(_KPI_TEMP_TABLE)))
        self.env.cr.execute(SQL(
            "CREATE TEMPORARY TABLE %(table)s ON COMMIT DROP AS SELECT * FROM (%(view)s) r WHERE %(filters)s",
            table=SQL.identifier(_KPI_TEMP_TABLE), view=self.env["pi.kpi.report"]._table_query,
            filters=self._filters("r", "date")))
        # the principal under management at the end, per consultant, product and
        # province: one pass over the contracts for the three sheets that show it
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(_MANAGED_TEMP_TABLE)))
        self.env.cr.execute(SQL(
            """CREATE TEMPORARY TABLE %(table)s ON COMMIT DROP AS
               SELECT c.user_id, c.product_id, p.state_id, SUM(c.principal) AS principal
                 FROM pi_investment_contract c JOIN res_partner p ON p.id = c.partner_id
                WHERE %(managed)s GROUP BY c.user_id, c.product_id, p.state_id""",
            table=SQL.identifier(_MANAGED_TEMP_TABLE), managed=self._managed_filter()))

    def _managed_filter(self):
        """Contracts under management at the end of the period: activated by then,
        not closed by then."""
        return SQL(
            "c.date_activated <= %(day)s AND c.state NOT IN ('draft', 'cancelled')"
            " AND (c.date_settled IS NULL OR c.date_settled > %(day)s) AND %(filters)s",
            day=self.date_to, filters=self._filters("c"))

    def _query(self, query):
        """The rows of ``query``, numerics as int (whole) or float for the workbook."""
        self.env.flush_all()
        self.env.cr.execute(query)
        return [[_plain(value) for value in row] for row in self.env.cr.fetchall()]

    def _names(self, model, ids, empty_label):
        records = self.env[model].browse([record_id for record_id in ids if record_id])
        names = {record.id: record.display_name for record in records}
        return lambda record_id: names.get(record_id) if record_id else empty_label

    def _sheet_consultants(self):
        columns = [
            (self.env._("Consultant"), TEXT),
            (self.env._("New Leads"), COUNT),
            (self.env._("Consulted"), COUNT),
            (self.env._("Interactions"), COUNT),
            (self.env._("First Response (hours)"), HOURS, None),
            (self.env._("New Contracts"), COUNT),
            (self.env._("Principal Raised"), MONEY),
            (self.env._("Renewals"), COUNT),
            (self.env._("Settlements"), COUNT),
            (self.env._("Conversion (%)"), PERCENT, (5, 1, 100)),
            (self.env._("Principal Under Management"), MONEY),
            (self.env._("Bonus (provisional)"), MONEY),
            (self.env._("Bonus (official)"), MONEY),
        ]
        rows = self._query(SQL(
            """
            WITH kpi AS (
                SELECT r.user_id, SUM(r.lead_count) AS leads, SUM(r.consulted_count) AS consulted,
                       SUM(r.interaction_count) AS interactions, SUM(r.first_response_hours_total) AS hours,
                       SUM(r.contract_count) AS contracts, SUM(r.principal) AS principal,
                       SUM(r.renewal_count) AS renewals, SUM(r.settlement_count) AS settlements
                  FROM %(kpi)s r WHERE %(kpi_filters)s GROUP BY r.user_id
            ), managed AS (
                SELECT m.user_id, SUM(m.principal) AS principal FROM %(managed)s m GROUP BY m.user_id
            ), bonus AS (
                SELECT b.user_id,
                       SUM(b.amount) FILTER (WHERE b.state = 'provisional' AND b.date_provisional
                                             BETWEEN %(date_from)s AND %(date_to)s) AS provisional,
                       SUM(b.amount) FILTER (WHERE b.state = 'official' AND b.date_official
                                             BETWEEN %(date_from)s AND %(date_to)s) AS official
                  FROM pi_bonus_line b WHERE %(bonus_filters)s GROUP BY b.user_id
            ), consultants AS (
                SELECT user_id FROM kpi UNION SELECT user_id FROM managed UNION SELECT user_id FROM bonus
            )
            SELECT partner.name, COALESCE(kpi.leads, 0), COALESCE(kpi.consulted, 0),
                   COALESCE(kpi.interactions, 0), kpi.hours / NULLIF(kpi.consulted, 0),
                   COALESCE(kpi.contracts, 0), COALESCE(kpi.principal, 0), COALESCE(kpi.renewals, 0),
                   COALESCE(kpi.settlements, 0), 100.0 * kpi.contracts / NULLIF(kpi.leads, 0),
                   COALESCE(managed.principal, 0), COALESCE(bonus.provisional, 0), COALESCE(bonus.official, 0)
              FROM consultants
              JOIN res_users u ON u.id = consultants.user_id
              JOIN res_partner partner ON partner.id = u.partner_id
              LEFT JOIN kpi ON kpi.user_id = consultants.user_id
              LEFT JOIN managed ON managed.user_id = consultants.user_id
              LEFT JOIN bonus ON bonus.user_id = consultants.user_id
             WHERE COALESCE(kpi.leads, 0) + COALESCE(kpi.interactions, 0) + COALESCE(kpi.contracts, 0)
                   + COALESCE(kpi.renewals, 0) + COALESCE(kpi.settlements, 0) + COALESCE(managed.principal, 0)
                   + COALESCE(bonus.provisional, 0) + COALESCE(bonus.official, 0) > 0
             ORDER BY partner.name
            """,
            kpi=self._kpi_table(), kpi_filters=self._filters("r", "date"), managed=SQL.identifier(_MANAGED_TEMP_TABLE),
            bonus_filters=self._filters("b"), date_from=self.date_from, date_to=self.date_to))
        return columns, rows

    def _sheet_products(self):
        columns = [
            (self.env._("Product"), TEXT),
            (self.env._("New Contracts"), COUNT),
            (self.env._("Principal Raised"), MONEY),
            (self.env._("Renewals"), COUNT),
            (self.env._("Principal Renewed"), MONEY),
            (self.env._("Settlements"), COUNT),
            (self.env._("Principal Under Management"), MONEY),
        ]
        rows = self._query(SQL(
            """
            WITH kpi AS (
                SELECT r.product_id, SUM(r.contract_count) AS contracts, SUM(r.principal) AS principal,
                       SUM(r.renewal_count) AS renewals, SUM(r.renewal_principal) AS renewed,
                       SUM(r.settlement_count) AS settlements
                  FROM %(kpi)s r WHERE r.product_id IS NOT NULL AND %(kpi_filters)s GROUP BY r.product_id
            ), managed AS (
                SELECT m.product_id, SUM(m.principal) AS principal FROM %(managed)s m GROUP BY m.product_id
            )
            SELECT COALESCE(kpi.product_id, managed.product_id), COALESCE(kpi.contracts, 0),
                   COALESCE(kpi.principal, 0), COALESCE(kpi.renewals, 0), COALESCE(kpi.renewed, 0),
                   COALESCE(kpi.settlements, 0), COALESCE(managed.principal, 0)
              FROM kpi FULL JOIN managed ON managed.product_id = kpi.product_id
            """,
            kpi=self._kpi_table(), kpi_filters=self._filters("r", "date"), managed=SQL.identifier(_MANAGED_TEMP_TABLE)))
        return columns, self._named_rows("pi.investment.product", rows, self.env._("No product"))

    def _sheet_sources(self):
        columns = [
            (self.env._("Source"), TEXT),
            (self.env._("New Leads"), COUNT),
            (self.env._("Consulted"), COUNT),
            (self.env._("New Contracts"), COUNT),
            (self.env._("Principal Raised"), MONEY),
            (self.env._("Conversion (%)"), PERCENT, (3, 1, 100)),
        ]
        rows = self._query(SQL(
            """
            SELECT r.source_id, SUM(r.lead_count), SUM(r.consulted_count),
                   SUM(r.contract_count), SUM(r.principal),
                   100.0 * SUM(r.contract_count) / NULLIF(SUM(r.lead_count), 0)
              FROM %(kpi)s r WHERE %(kpi_filters)s
             GROUP BY r.source_id
            HAVING SUM(r.lead_count + r.consulted_count + r.contract_count) > 0
            """,
            kpi=self._kpi_table(), kpi_filters=self._filters("r", "date")))
        return columns, self._named_rows("utm.source", rows, self.env._("No source"))

    def _sheet_months(self):
        columns = [
            (self.env._("Month"), TEXT),
            (self.env._("New Leads"), COUNT),
            (self.env._("Consulted"), COUNT),
            (self.env._("Interactions"), COUNT),
            (self.env._("New Contracts"), COUNT),
            (self.env._("Principal Raised"), MONEY),
            (self.env._("Renewals"), COUNT),
            (self.env._("Settlements"), COUNT),
            (self.env._("Target: Principal"), MONEY),
            (self.env._("Principal vs Target (%)"), PERCENT, (5, 8, 100)),
        ]
        rows = self._query(SQL(
            """
            SELECT date_trunc('month', r.date)::date, SUM(r.lead_count), SUM(r.consulted_count),
                   SUM(r.interaction_count), SUM(r.contract_count), SUM(r.principal), SUM(r.renewal_count),
                   SUM(r.settlement_count), SUM(r.target_principal),
                   100.0 * SUM(r.principal) / NULLIF(SUM(r.target_principal), 0)
              FROM %(kpi)s r WHERE %(kpi_filters)s
             GROUP BY 1 ORDER BY 1
            """,
            kpi=self._kpi_table(), kpi_filters=self._filters("r", "date")))
        return columns, [[format_date(self.env, row[0], date_format="MM/yyyy"), *row[1:]] for row in rows]

    def _sheet_provinces(self):
        columns = [
            (self.env._("Province"), TEXT),
            (self.env._("New Leads"), COUNT),
            (self.env._("Consulted"), COUNT),
            (self.env._("New Contracts"), COUNT),
            (self.env._("Principal Raised"), MONEY),
            (self.env._("Renewals"), COUNT),
            (self.env._("Settlements"), COUNT),
            (self.env._("Principal Under Management"), MONEY),
        ]
        rows = self._query(SQL(
            """
            WITH kpi AS (
                SELECT r.state_id, SUM(r.lead_count) AS leads, SUM(r.consulted_count) AS consulted,
                       SUM(r.contract_count) AS contracts, SUM(r.principal) AS principal,
                       SUM(r.renewal_count) AS renewals, SUM(r.settlement_count) AS settlements
                  FROM %(kpi)s r WHERE %(kpi_filters)s GROUP BY r.state_id
                HAVING SUM(r.lead_count + r.consulted_count + r.contract_count + r.renewal_count
                           + r.settlement_count) > 0
            ), managed AS (
                SELECT m.state_id, SUM(m.principal) AS principal FROM %(managed)s m GROUP BY m.state_id
            )
            SELECT COALESCE(kpi.state_id, managed.state_id), COALESCE(kpi.leads, 0),
                   COALESCE(kpi.consulted, 0), COALESCE(kpi.contracts, 0), COALESCE(kpi.principal, 0),
                   COALESCE(kpi.renewals, 0), COALESCE(kpi.settlements, 0), COALESCE(managed.principal, 0)
              FROM kpi FULL JOIN managed ON COALESCE(managed.state_id, 0) = COALESCE(kpi.state_id, 0)
            """,
            kpi=self._kpi_table(), kpi_filters=self._filters("r", "date"), managed=SQL.identifier(_MANAGED_TEMP_TABLE)))
        return columns, self._named_rows("res.country.state", rows, self.env._("No province"))

    def _named_rows(self, model, rows, empty_label):
        """Rows whose first cell is an id of ``model``: its name instead (read in one
        batch), sorted by name, the rows without one last."""
        name_of = self._names(model, [row[0] for row in rows], empty_label)
        named = [[name_of(row[0]), *row[1:]] for row in rows]
        return sorted(named, key=lambda row: (row[0] == empty_label, row[0] or ""))
