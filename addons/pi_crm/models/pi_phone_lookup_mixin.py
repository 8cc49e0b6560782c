from odoo import api, fields, models
from odoo.tools import SQL


class PiPhoneLookupMixin(models.AbstractModel):
    """Exact, indexed phone lookup over both numbers of a record.

    Stock ``mail.thread.phone.phone_sanitized`` keeps one number in E.164: the
    first of ``_phone_get_number_fields()`` that formats (mobile, then phone).
    A customer who calls from the other number would be missed, and
    ``phone_mobile_search`` finds them only through ``regexp_replace`` scans.
    This mixin stores the other number in E.164 too, and indexes both, so the
    intake API answers with two index probes whatever the base size.
    """

    _name = "pi.phone.lookup.mixin"
    _description = "Indexed phone lookup"

    pi_phone_other_sanitized = fields.Char(
        string="Other Sanitized Number",
        compute="_compute_pi_phone_other_sanitized",
        compute_sudo=True,
        store=True,
        index="btree_not_null",
        help="The second number of the record in E.164, the one 'Sanitized Number' does not hold.",
    )

    # Same triggers as stock phone_sanitized; both helpers live on every model (phone_validation).
    @api.depends(lambda self: [fname for fname in [self._phone_get_country_field()] if fname]
                 + self._phone_get_number_fields())
    def _compute_pi_phone_other_sanitized(self):
        number_fields = self._phone_get_number_fields()
        for record in self:
            if sum(bool(record[fname]) for fname in number_fields) < 2:
                record.pi_phone_other_sanitized = False  # one number at most: phone_sanitized has it
                continue
            numbers = [record._phone_format(fname=fname) for fname in number_fields]
            numbers = [number for number in numbers if number]
            record.pi_phone_other_sanitized = next(
                (number for number in numbers[1:] if number != numbers[0]), False
            )

    @api.model
    def _pi_get_phone_domain(self, number):
        """Domain matching ``number`` (E.164) on either stored number.

        Both terms are equalities on indexed columns: PostgreSQL answers with a
        BitmapOr of two index scans.
        """
        return ["|", ("phone_sanitized", "=", number), ("pi_phone_other_sanitized", "=", number)]

    @api.model
    def _pi_search_phone(self, number, limit=1, order="id"):
        """Active records whose either number is ``number`` (E.164), in SQL.

        The same query as ``search(_pi_get_phone_domain(number))``, without
        the record-rule expansion that costs the ORM about 8 ms a call on
        res.partner: this runs on every ring of the switchboard. Callers
        read the result with the rights they need.
        """
        assert order in ("id", "id desc")
        self.flush_model(["active", "phone_sanitized", "pi_phone_other_sanitized"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s ORDER BY %s LIMIT %s",
                SQL.identifier(self._table), self._pi_phone_condition(number), SQL(order), limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _pi_phone_condition(self, number, alias=None):
        """SQL condition of ``_pi_search_phone``: the row of this model's table
        (or of ``alias``) is active and has ``number`` (E.164) on either
        stored number; for queries that join more tables to the lookup."""
        table = SQL.identifier(alias or self._table)
        return SQL(
            "%s.active AND (%s.phone_sanitized = %s OR %s.pi_phone_other_sanitized = %s)",
            table, table, number, table, number,
        )

    @api.model
    def _pi_search_email(self, email, limit=1, order="id"):
        """Active records whose normalized e-mail is ``email`` (lower case), in SQL."""
        assert order in ("id", "id desc")
        self.flush_model(["active", "email_normalized"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE active AND email_normalized = %s ORDER BY %s LIMIT %s",
                SQL.identifier(self._table), email, SQL(order), limit,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _pi_find_caller(self, number, partner_id=None):
        """The active contact with ``number`` (E.164) on either number,
        preferring one a consultant looks after (a couple or an office may
        share a line), with its display name and its consultant's name.
        With ``partner_id`` (the contact a resent call was first answered
        with), that contact while it exists, else the lookup by number.

        One SQL query on the indexed columns (see ``_pi_phone_condition``):
        this runs while the switchboard's phone rings, and reading the same
        through the ORM costs two more queries and their record-rule checks.
        Its caller, the intake API's technical user, may read every contact.

        :returns: ``(partner, name, responsible user, responsible_name)``;
            an empty partner when unknown
        """
        self.flush_model(["active", "phone_sanitized", "pi_phone_other_sanitized", "complete_name", "user_id"])
        conditions = [SQL("partner.id = %s", partner_id)] if partner_id else []
        conditions.append(self._pi_phone_condition(number, "partner"))
        row = None
        for condition in conditions:
            self.env.cr.execute(
                SQL(
                    """SELECT partner.id, partner.complete_name, partner.user_id, responsible.name
                         FROM res_partner partner
                    LEFT JOIN res_users usr ON usr.id = partner.user_id
                    LEFT JOIN res_partner responsible ON responsible.id = usr.partner_id
                        WHERE %s
                     ORDER BY partner.user_id IS NULL, partner.id
                        LIMIT 1""",
                    condition,
                )
            )
            row = self.env.cr.fetchone()
            if row:
                break
        if not row:
            return self.browse(), None, self.env["res.users"], None
        partner_id, name, user_id, responsible_name = row
        return self.sudo().browse(partner_id), name, self.env["res.users"].browse(user_id), responsible_name
