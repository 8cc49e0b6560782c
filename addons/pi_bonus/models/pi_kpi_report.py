import datetime

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, create_index, format_amount, format_date, formatLang

from ..tools import sales_kpi

# PI works in Vietnam: a day is a day in Hà Nội, whatever the server's time zone.
# Vietnam keeps UTC+7 all year (no daylight saving): a fixed offset is exact and,
# over a million interactions, several times cheaper than a named time zone.
PI_UTC_OFFSET = datetime.timedelta(hours=7)

# One row per event (the lead assigned, first consulted, an interaction, a contract
# activated or settled, a month's target), then summed per consultant, day and
# dimension. A row's id is the smallest key of its events (record id * 8 + kind):
# unique and stable, and without a window function. Every event has a consultant
# and a day: its key (user_id, day) in ``pi_kpi_daily_dirty`` marks it changed.
# ``{lead_open}`` and the others name the tables the events come from (_SOURCES).
_EVENTS_QUERY = """
    SELECT l.id::bigint * 8 + 1 AS event_id, l.user_id,
           (l.date_open + %(offset)s)::date AS date,
           l.source_id, COALESCE(p.state_id, l.state_id) AS state_id, NULL::integer AS product_id, l.company_id,
           1 AS lead_count, 0 AS consulted_count, 0.0 AS first_response_hours_total, 0 AS interaction_count,
           0 AS contract_count, 0.0 AS principal, 0 AS renewal_count, 0.0 AS renewal_principal,
           0 AS settlement_count, 0 AS target_lead_count, 0 AS target_interaction_count,
           0 AS target_contract_count, 0.0 AS target_principal
      FROM {lead_open} l
      LEFT JOIN res_partner p ON p.id = l.partner_id
     WHERE l.user_id IS NOT NULL AND l.date_open IS NOT NULL
    UNION ALL
    SELECT l.id::bigint * 8 + 2, l.user_id, (l.pi_first_contact_date + %(offset)s)::date,
           l.source_id, COALESCE(p.state_id, l.state_id), NULL, l.company_id,
           0, 1,
           GREATEST(EXTRACT(EPOCH FROM l.pi_first_contact_date - COALESCE(l.date_open, l.create_date)) / 3600.0, 0),
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM {lead_first} l
      LEFT JOIN res_partner p ON p.id = l.partner_id
     WHERE l.user_id IS NOT NULL AND l.pi_first_contact_date IS NOT NULL
    UNION ALL
    SELECT MIN(i.id)::bigint * 8 + 3, i.user_id, (i.date + %(offset)s)::date,
           NULL, NULL, NULL, i.company_id,
           0, 0, 0, COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM {interaction} i
     WHERE i.intake IS NOT TRUE AND i.user_id IS NOT NULL
     GROUP BY i.user_id, (i.date + %(offset)s)::date, i.company_id
    UNION ALL
    SELECT c.id::bigint * 8 + 4, c.user_id, c.date_activated, p.pi_source_id, p.state_id, c.product_id, c.company_id,
           0, 0, 0, 0,
           CASE WHEN c.renewed_from_id IS NULL THEN 1 ELSE 0 END,
           CASE WHEN c.renewed_from_id IS NULL THEN c.principal ELSE 0 END,
           CASE WHEN c.renewed_from_id IS NULL THEN 0 ELSE 1 END,
           CASE WHEN c.renewed_from_id IS NULL THEN 0 ELSE c.principal END,
           0, 0, 0, 0, 0
      FROM {activated} c
      JOIN res_partner p ON p.id = c.partner_id
     WHERE c.date_activated IS NOT NULL AND c.user_id IS NOT NULL AND c.state NOT IN ('draft', 'cancelled')
    UNION ALL
    SELECT c.id::bigint * 8 + 5, c.user_id, c.date_settled, p.pi_source_id, p.state_id, c.product_id, c.company_id,
           0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0
      FROM {settled} c
      JOIN res_partner p ON p.id = c.partner_id
     WHERE c.state = 'settled' AND c.date_settled IS NOT NULL AND c.user_id IS NOT NULL
    UNION ALL
    SELECT t.id::bigint * 8 + 6, t.user_id, t.month, NULL, NULL, NULL, t.company_id,
           0, 0, 0, 0, 0, 0, 0, 0, 0,
           t.target_lead_count, t.target_interaction_count, t.target_contract_count, t.target_principal
      FROM {target} t
"""

# Each source table, or (keyed) its rows of the keys in pi_kpi_keys, read key by key
# through the (user_id, date) indexes (LATERAL, kept a subquery by OFFSET 0: a nested
# loop over the few keys whatever the estimates).
_SOURCES = {
    "lead_open": ("crm_lead", "user_id = k.user_id AND date_open >= k.date - %(offset)s"
                              " AND date_open < k.date + 1 - %(offset)s"),
    "lead_first": ("crm_lead", "user_id = k.user_id AND pi_first_contact_date >= k.date - %(offset)s"
                               " AND pi_first_contact_date < k.date + 1 - %(offset)s"),
    "interaction": ("pi_interaction", "user_id = k.user_id AND date >= k.date - %(offset)s"
                                      " AND date < k.date + 1 - %(offset)s"),
    "activated": ("pi_investment_contract", "user_id = k.user_id AND date_activated = k.date"),
    "settled": ("pi_investment_contract", "user_id = k.user_id AND date_settled = k.date"),
    "target": ("pi_kpi_target", "user_id = k.user_id AND month = k.date"),
}

# The events summed per consultant, day, source, province, product and company: the
# rows of pi_kpi_daily, in its column order.
_FIGURES_QUERY = """
    SELECT MIN(event_id) AS id, user_id, date, source_id, state_id, product_id, company_id,
           SUM(lead_count) AS lead_count, SUM(consulted_count) AS consulted_count,
           SUM(first_response_hours_total) AS first_response_hours_total,
           SUM(interaction_count) AS interaction_count, SUM(contract_count) AS contract_count,
           SUM(principal) AS principal, SUM(renewal_count) AS renewal_count,
           SUM(renewal_principal) AS renewal_principal, SUM(settlement_count) AS settlement_count,
           SUM(target_lead_count) AS target_lead_count, SUM(target_interaction_count) AS target_interaction_count,
           SUM(target_contract_count) AS target_contract_count, SUM(target_principal) AS target_principal
      FROM ({events}) events
     GROUP BY user_id, date, source_id, state_id, product_id, company_id
"""


def figures_query(keyed):
    """The figures of every event, or (``keyed``) of the keys in ``pi_kpi_keys`` only."""
    sources = {
        name: (f"(SELECT source.* FROM pi_kpi_keys k"
               f" CROSS JOIN LATERAL (SELECT * FROM {table} WHERE {condition} OFFSET 0) source)" if keyed else table)
        for name, (table, condition) in _SOURCES.items()
    }
    return _FIGURES_QUERY.format(events=_EVENTS_QUERY.format(**sources))


# The report: the stored figures of the days that did not change since they were
# stored, and the figures of those that did, computed now (so a lead assigned or an
# interaction logged a second ago counts). The consultant's team is their first active
# sales team membership, as stock's res.users.sale_team_id picks it (read now: a team
# change moves no figure).
KPI_VIEW_QUERY = """
WITH pi_kpi_keys AS MATERIALIZED (
    SELECT DISTINCT user_id, date FROM pi_kpi_daily_dirty
), figures AS (
    SELECT s.* FROM pi_kpi_daily s
     WHERE NOT EXISTS (SELECT FROM pi_kpi_keys k WHERE k.user_id = s.user_id AND k.date = s.date)
    UNION ALL
    %(changed)s
), user_team AS (
    SELECT DISTINCT ON (m.user_id) m.user_id, m.crm_team_id
      FROM crm_team_member m
     WHERE m.active
     ORDER BY m.user_id, m.create_date, m.id
)
SELECT f.*,
       team.crm_team_id AS team_id,
       f.first_response_hours_total / NULLIF(f.consulted_count, 0) AS first_response_hours,
       100.0 * f.contract_count / NULLIF(f.lead_count, 0) AS conversion_rate,
       100.0 * f.principal / NULLIF(f.target_principal, 0) AS principal_achievement,
       100.0 * f.contract_count / NULLIF(f.target_contract_count, 0) AS contract_achievement
  FROM figures f
  LEFT JOIN user_team team ON team.user_id = f.user_id
""".replace("%(changed)s", figures_query(keyed=True))

# What marks a (consultant, day) changed: per table, the keys of a row and the columns
# its figures read. Statement-level triggers (one INSERT per statement, whatever its
# size), append-only (concurrent writers never wait for one another); an UPDATE marks
# the old and the new keys of the rows whose watched columns changed.
_MARKED_TABLES = {
    "pi_interaction": ([("{r}.user_id", "({r}.date + {offset})::date")], ("user_id", "date", "intake", "company_id")),
    "crm_lead": ([("{r}.user_id", "({r}.date_open + {offset})::date"),
                  ("{r}.user_id", "({r}.pi_first_contact_date + {offset})::date")],
                 ("user_id", "date_open", "pi_first_contact_date", "create_date", "source_id", "state_id",
                  "partner_id", "company_id")),
    "pi_investment_contract": ([("{r}.user_id", "{r}.date_activated"), ("{r}.user_id", "{r}.date_settled")],
                               ("user_id", "date_activated", "date_settled", "state", "principal", "renewed_from_id",
                                "product_id", "partner_id", "company_id")),
    "pi_kpi_target": ([("{r}.user_id", "{r}.month")],
                      ("user_id", "month", "company_id", "target_lead_count", "target_interaction_count",
                       "target_contract_count", "target_principal")),
}


def _keys_values(keys, alias, offset):
    return ", ".join(f"({user.format(r=alias)}, {day.format(r=alias, offset=offset)})" for user, day in keys)


def _mark_function_sql(table, keys, watched, offset):
    """The trigger function that marks the keys of ``table``'s rows a statement touched."""
    insert = "INSERT INTO pi_kpi_daily_dirty (user_id, date) SELECT DISTINCT k.user_id, k.date"
    valid = "k.user_id IS NOT NULL AND k.date IS NOT NULL"
    changed = " OR ".join(f"o.{column} IS DISTINCT FROM n.{column}" for column in watched)
    return f"""
CREATE OR REPLACE FUNCTION pi_kpi_mark_{table}() RETURNS trigger LANGUAGE plpgsql AS $pi_kpi$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert} FROM pi_kpi_new r CROSS JOIN LATERAL (VALUES {_keys_values(keys, "r", offset)}) k(user_id, date)
         WHERE {valid};
    ELSIF TG_OP = 'DELETE' THEN
        {insert} FROM pi_kpi_old r CROSS JOIN LATERAL (VALUES {_keys_values(keys, "r", offset)}) k(user_id, date)
         WHERE {valid};
    ELSE
        {insert} FROM pi_kpi_old o JOIN pi_kpi_new n ON n.id = o.id
         CROSS JOIN LATERAL (VALUES {_keys_values(keys, "o", offset)}, {_keys_values(keys, "n", offset)})
               k(user_id, date)
         WHERE ({changed}) AND {valid};
    END IF;
    RETURN NULL;
END
$pi_kpi$;
"""


# A customer's province or source is the province or source of their leads' and
# contracts' figures: a change marks the keys of those.
_PARTNER_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION pi_kpi_mark_res_partner() RETURNS trigger LANGUAGE plpgsql AS $pi_kpi$
BEGIN
    WITH moved AS (
        SELECT n.id FROM pi_kpi_old o JOIN pi_kpi_new n ON n.id = o.id
         WHERE o.state_id IS DISTINCT FROM n.state_id OR o.pi_source_id IS DISTINCT FROM n.pi_source_id
    )
    INSERT INTO pi_kpi_daily_dirty (user_id, date)
    SELECT DISTINCT k.user_id, k.date
      FROM moved JOIN crm_lead l ON l.partner_id = moved.id
     CROSS JOIN LATERAL (VALUES (l.user_id, (l.date_open + {offset})::date),
                                (l.user_id, (l.pi_first_contact_date + {offset})::date)) k(user_id, date)
     WHERE k.user_id IS NOT NULL AND k.date IS NOT NULL
    UNION
    SELECT k.user_id, k.date
      FROM moved JOIN pi_investment_contract c ON c.partner_id = moved.id
     CROSS JOIN LATERAL (VALUES (c.user_id, c.date_activated), (c.user_id, c.date_settled)) k(user_id, date)
     WHERE k.user_id IS NOT NULL AND k.date IS NOT NULL;
    RETURN NULL;
END
$pi_kpi$;
"""

# The indexes the figures of a few keys are read through.
_KEY_INDEXES = {
    "pi_interaction": ("pi_interaction_user_date_index", ["user_id", "date"]),
    "crm_lead": ("crm_lead_user_date_open_index", ["user_id", "date_open"]),
    "pi_investment_contract": ("pi_investment_contract_user_activated_index", ["user_id", "date_activated"]),
}


# The fields the figures read, per model (flushed before the report is read).
_FLUSHED_FIELDS = {
    "crm.lead": ("user_id", "date_open", "pi_first_contact_date", "source_id", "state_id", "partner_id",
                 "company_id"),
    "pi.interaction": ("user_id", "date", "intake", "company_id"),
    "pi.investment.contract": ("user_id", "date_activated", "date_settled", "state", "principal", "renewed_from_id",
                               "product_id", "partner_id", "company_id"),
    "pi.kpi.target": ("user_id", "month", "company_id", "target_lead_count", "target_interaction_count",
                      "target_contract_count", "target_principal"),
    "res.partner": ("state_id", "pi_source_id"),
    "crm.team.member": ("user_id", "crm_team_id", "active"),
}


def _interval_sql(offset):
    return f"INTERVAL '{int(offset.total_seconds())} seconds'"


# Ratios a pivot must compute from the sums of its cells, never as an average of
# the rows' own ratios (a day with one lead would weigh as much as a day with fifty).
_RATIO_AGGREGATES = {
    "first_response_hours:avg": ("first_response_hours_total", "consulted_count", 1),
    "conversion_rate:avg": ("contract_count", "lead_count", 100),
    "principal_achievement:avg": ("principal", "target_principal", 100),
    "contract_achievement:avg": ("contract_count", "target_contract_count", 100),
}


class PiKpiReport(models.Model):
    """A consultant's figures, one row per consultant, day, and the customer's
    source, province and product, from the records PI already keeps (leads,
    interactions, contracts), stored per day in ``pi_kpi_daily`` and always
    current (see "stored figures" below), plus the monthly targets
    (``pi.kpi.target``) as rows on the first day of their month, so a pivot by
    month shows actual against target side by side.

    - leads: assigned to the consultant (``crm.lead.date_open``);
    - consulted: the lead's first interaction that is not the intake record
      (``crm.lead.pi_first_contact_date``), counted for the lead's consultant, with
      the hours since the assignment;
    - interactions: logged by the consultant (intake records excluded), per
      consultant and day only (summed in their own branch: a year holds millions;
      an interaction has no source, province or product of its own);
    - contracts: activated (new ones and renewals apart), settlements on their
      settlement date, for the contract's consultant; cancelled ones never count.
    Days are PI's days (Vietnam time), whatever the server's time zone.
    """

    _name = "pi.kpi.report"
    _description = "Consultant KPIs"
    _auto = False
    _order = "date desc, user_id"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Consultant", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Province", readonly=True)
    product_id = fields.Many2one("pi.investment.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    lead_count = fields.Integer(string="New Leads", readonly=True)
    consulted_count = fields.Integer(string="Consulted", readonly=True)
    interaction_count = fields.Integer(
        string="Interactions", readonly=True,
        help="Calls, SMS, e-mails and meetings the consultant logged (counted per consultant and day, not by "
             "source, province or product).")
    first_response_hours_total = fields.Float(string="First Response (total hours)", readonly=True)
    first_response_hours = fields.Float(
        string="First Response (hours)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Hours from the lead's assignment to its first interaction, on average over the leads consulted.")
    contract_count = fields.Integer(string="New Contracts", readonly=True)
    principal = fields.Monetary(string="Principal Raised", readonly=True, currency_field="currency_id")
    renewal_count = fields.Integer(string="Renewals", readonly=True)
    renewal_principal = fields.Monetary(string="Principal Renewed", readonly=True, currency_field="currency_id")
    settlement_count = fields.Integer(string="Settlements", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="New contracts per new lead, in percent.")
    target_lead_count = fields.Integer(string="Target: Leads", readonly=True)
    target_interaction_count = fields.Integer(string="Target: Interactions", readonly=True)
    target_contract_count = fields.Integer(string="Target: Contracts", readonly=True)
    target_principal = fields.Monetary(string="Target: Principal", readonly=True, currency_field="currency_id")
    principal_achievement = fields.Float(string="Principal vs Target (%)", readonly=True, aggregator="avg",
                                         digits=(16, 1))
    contract_achievement = fields.Float(string="Contracts vs Target (%)", readonly=True, aggregator="avg",
                                        digits=(16, 1))

    @property
    def _table_query(self):
        # the rows come from other models' tables: their pending writes are flushed
        # before any read of the report (the SQL's to_flush), so a change counts at once
        flushed = [SQL("", to_flush=self.env[model]._fields[name])
                   for model, names in _FLUSHED_FIELDS.items() for name in names]
        return SQL("%s%s", SQL(KPI_VIEW_QUERY, offset=PI_UTC_OFFSET), SQL().join(flushed))

    # ------------------------------------------------------------------ stored figures
    # pi_kpi_daily holds the figures per consultant, day and dimension (the rows of
    # figures_query); the triggers of _MARKED_TABLES mark in pi_kpi_daily_dirty the
    # (consultant, day) keys a change touched, in the changing transaction; the report
    # reads the stored rows of the other keys and computes the marked ones now; the job
    # _cron_fold_changes stores the marked keys' figures again and clears the marks.
    # Derived data only: rebuilt from the records at each install and upgrade.
    def init(self):
        cr = self.env.cr
        offset = _interval_sql(PI_UTC_OFFSET)
        cr.execute("DROP TABLE IF EXISTS pi_kpi_daily")
        cr.execute(SQL("CREATE TABLE pi_kpi_daily AS %s", SQL(figures_query(keyed=False), offset=PI_UTC_OFFSET)))
        cr.execute("ALTER TABLE pi_kpi_daily ADD PRIMARY KEY (id)")
        cr.execute("CREATE INDEX pi_kpi_daily_user_date_index ON pi_kpi_daily (user_id, date)")
        cr.execute("CREATE INDEX pi_kpi_daily_date_index ON pi_kpi_daily (date)")
        cr.execute("""CREATE TABLE IF NOT EXISTS pi_kpi_daily_dirty (user_id integer NOT NULL, date date NOT NULL)""")
        cr.execute("TRUNCATE pi_kpi_daily_dirty")
        cr.execute("CREATE INDEX IF NOT EXISTS pi_kpi_daily_dirty_key_index ON pi_kpi_daily_dirty (user_id, date)")
        for table, (name, columns) in _KEY_INDEXES.items():
            create_index(cr, name, table, columns)
        for table, (keys, watched) in _MARKED_TABLES.items():
            cr.execute(SQL(_mark_function_sql(table, keys, watched, offset)))
            self._pi_create_mark_triggers(table, ("INSERT", "UPDATE", "DELETE"))
        cr.execute(SQL(_PARTNER_FUNCTION_SQL.format(offset=offset)))
        self._pi_create_mark_triggers("res_partner", ("UPDATE",))
        cr.execute("ANALYZE pi_kpi_daily")

    def _pi_create_mark_triggers(self, table, events):
        transitions = {"INSERT": "NEW TABLE AS pi_kpi_new", "DELETE": "OLD TABLE AS pi_kpi_old",
                       "UPDATE": "OLD TABLE AS pi_kpi_old NEW TABLE AS pi_kpi_new"}
        for event in events:
            trigger = f"pi_kpi_mark_{event.lower()}"
            self.env.cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
            self.env.cr.execute(SQL(
                "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                SQL.identifier(trigger), SQL(event), SQL.identifier(table), SQL(transitions[event]),
                SQL.identifier(f"pi_kpi_mark_{table}")))

    @api.model
    def _cron_fold_changes(self):
        """Store the figures of the (consultant, day) keys marked since the last run
        and clear their marks. Marks added meanwhile by other transactions stay (the
        DELETE only sees the rows of this snapshot), for the next run."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS pi_kpi_fold_keys")
        cr.execute("""
            CREATE TEMPORARY TABLE pi_kpi_fold_keys ON COMMIT DROP AS
            WITH cleared AS (DELETE FROM pi_kpi_daily_dirty RETURNING user_id, date)
            SELECT DISTINCT user_id, date FROM cleared""")
        if not cr.rowcount:
            return
        # the marks are few again: say so to the planner, which otherwise plans the
        # report's key-by-key reads for the thousands it last counted (and compiles them)
        cr.execute("ANALYZE pi_kpi_daily_dirty")
        cr.execute("""DELETE FROM pi_kpi_daily s USING pi_kpi_fold_keys k
                       WHERE s.user_id = k.user_id AND s.date = k.date""")
        cr.execute(SQL("INSERT INTO pi_kpi_daily WITH pi_kpi_keys AS (SELECT user_id, date FROM pi_kpi_fold_keys) %s",
                       SQL(figures_query(keyed=True), offset=PI_UTC_OFFSET)))

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec not in _RATIO_AGGREGATES:
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator, factor = _RATIO_AGGREGATES[aggregate_spec]
        return SQL(
            "%(factor)s * SUM(%(num)s)::numeric / NULLIF(SUM(%(den)s), 0)",
            factor=factor,
            num=self._field_to_sql(self._table, numerator, query),
            den=self._field_to_sql(self._table, denominator, query),
        )

    # ------------------------------------------------------------------ weekly digest
    @api.model
    def _cron_send_weekly_digest(self, today=None):
        """Each PI manager gets last week's figures by e-mail (the editable template
        ``mail_template_pi_kpi_digest``), rendered with that manager's rights and in
        their language: the cron user (superuser) only picks the recipients."""
        template = self.env.ref("pi_bonus.mail_template_pi_kpi_digest", raise_if_not_found=False)
        if not template:
            return
        managers = self.env.ref("pi_crm.group_pi_manager").sudo().users.filtered(
            lambda user: user.active and not user.share and user.email)
        for manager in managers:
            template.with_user(manager).with_context(
                lang=manager.lang, tz=manager.tz, pi_digest_today=today, allowed_company_ids=manager.company_ids.ids,
            ).send_mail(manager.id)

    @api.model
    def _pi_digest_period(self):
        today = self.env.context.get("pi_digest_today") or fields.Date.context_today(self)
        return sales_kpi.week_before(fields.Date.to_date(today))

    @api.model
    def _pi_digest_html(self, recipient):
        """The digest's body for ``recipient``: last week per consultant (leads,
        consulted, interactions, contracts, principal) and the month to date against
        its targets, as the current user may see them (record rules apply)."""
        date_from, date_to = self._pi_digest_period()
        month_from = sales_kpi.month_start(date_to)
        week = self._pi_digest_figures(date_from, date_to)
        month = self._pi_digest_figures(month_from, date_to)
        currency = self.env.company.currency_id
        labels = [self.env._("Consultant"), self.env._("New Leads"), self.env._("Consulted"),
                  self.env._("Interactions"), self.env._("New Contracts"), self.env._("Principal Raised"),
                  self.env._("Month to date"), self.env._("Target: Principal"), self.env._("Principal vs Target (%)")]
        cell = Markup('<td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:%s">%s</td>')
        rows = []
        for user in sorted(set(week) | set(month), key=lambda user: user.name or ""):
            leads, consulted, interactions, contracts, principal, _target = week.get(user, (0,) * 6)
            month_principal, month_target = month.get(user, (0,) * 6)[4:]
            achievement = sales_kpi.ratio(month_principal, month_target)
            values = [formatLang(self.env, value, digits=0) for value in (leads, consulted, interactions, contracts)]
            values += [format_amount(self.env, amount, currency) for amount in (principal, month_principal,
                                                                                 month_target)]
            values.append(formatLang(self.env, achievement, digits=0) + " %" if achievement is not None else "—")
            rows.append(Markup("<tr>%s%s</tr>") % (cell % ("left", user.name),
                                                   Markup().join(cell % ("right", value) for value in values)))
        header = Markup().join(Markup('<th style="padding:4px 8px;text-align:left;background:#DDEBF7">%s</th>') % label
                               for label in labels)
        intro = self.env._("Dear %(name)s, here are your consultants' figures for the week from %(date_from)s to "
                           "%(date_to)s, and the month to date against its targets.",
                           name=recipient.name, date_from=format_date(self.env, date_from),
                           date_to=format_date(self.env, date_to))
        if not rows:
            table = Markup("<p>%s</p>") % self.env._("Nothing was recorded last week.")
        else:
            table = Markup('<table style="border-collapse:collapse;font-size:13px"><tr>%s</tr>%s</table>') % (
                header, Markup().join(rows))
        return Markup("<p>%s</p>%s") % (intro, table)

    @api.model
    def _pi_digest_figures(self, date_from, date_to):
        """{consultant: (leads, consulted, interactions, contracts, principal, target principal)}."""
        groups = self._read_group(
            [("date", ">=", date_from), ("date", "<=", date_to), ("user_id", "!=", False)], ["user_id"],
            ["lead_count:sum", "consulted_count:sum", "interaction_count:sum", "contract_count:sum",
             "principal:sum", "target_principal:sum"])
        return {user: tuple(value or 0 for value in values) for user, *values in groups}
