import hashlib
import hmac
import logging
import math
import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

KEY_PREFIX = "pik"
# pik_<8 hex>_<token_urlsafe(32)>: anything else is refused before the database is asked.
KEY_RE = re.compile(rf"{KEY_PREFIX}_([0-9a-f]{{8}})_[A-Za-z0-9_-]{{16,100}}")
RATE_WINDOW_SECONDS = 60
DEFAULT_RATE_LIMIT = 60


class PiIntegrationKey(models.Model):
    """A key an outside system (website, PBX) presents in ``X-PI-Key``.

    What a call does once its key is known is ``pi.intake``'s work
    (``models/pi_intake.py``); this model only issues, checks and limits keys.

    The key reads ``pik_<prefix>_<secret>``. Only the prefix (to find the row
    with an index) and a salted SHA-256 of the whole key are stored. A fast
    hash is enough here: the secret is 256 random bits, so there is nothing to
    guess, and a slow KDF would cost every API call tens of milliseconds.
    """

    _name = "pi.integration.key"
    _description = "Integration Key"
    _order = "active desc, name"

    name = fields.Char(
        string="Key Name", required=True, help="Which outside system uses the key, e.g. 'Website passioninvestment.vn'."
    )
    kind = fields.Selection(
        [("website", "Website"), ("pbx", "Switchboard (PBX)")],
        required=True,
        default="website",
        help="The endpoint the key may call: website keys post leads, PBX keys report incoming calls.",
    )
    active = fields.Boolean(default=True)
    key_prefix = fields.Char(readonly=True, copy=False, index=True, help="The start of the key, to recognise it.")
    key_salt = fields.Char(readonly=True, copy=False, groups="base.group_system")
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    user_id = fields.Many2one(
        "res.users",
        string="Runs As",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env.ref("pi_crm.user_pi_intake", raise_if_not_found=False),
        domain=lambda self: [("groups_id", "in", self.env.ref("pi_crm.group_pi_intake").ids), ("active", "=", False)],
        help="The technical user whose rights the calls of this key have.",
    )
    rate_limit = fields.Integer(
        string="Calls per Minute",
        default=0,
        help="Most calls accepted per minute; 0 uses the default "
        "(system parameter pi_crm.intake_rate_limit, 60 when unset).",
    )
    revoked_date = fields.Datetime(string="Revoked On", readonly=True, copy=False)
    revoked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    call_ids = fields.One2many("pi.api.call", "key_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_stats")
    last_call_date = fields.Datetime(string="Last Call", compute="_compute_call_stats")

    _sql_constraints = [
        ("key_prefix_uniq", "unique(key_prefix)", "Two keys cannot share a prefix."),
        ("rate_limit_positive", "check(rate_limit >= 0)", "The rate limit cannot be negative."),
    ]

    @api.constrains("user_id")
    def _check_user_is_technical(self):
        """A key must never act with the rights of a person or an administrator."""
        for key in self:
            user = key.user_id
            if (
                not user.has_group("pi_crm.group_pi_intake")
                or user.has_group("base.group_system")
                or user.has_group("pi_crm.group_pi_consultant")
                or user.active
            ):
                raise ValidationError(
                    self.env._(
                        "The key %(key)s must run as a technical intake user (archived, in the group "
                        "'PI Intake API (technical)', without other PI or administration rights).",
                        key=key.name,
                    )
                )

    def _compute_call_stats(self):
        stats = {
            key.id: (count, last)
            for key, count, last in self.env["pi.api.call"]._read_group(
                [("key_id", "in", self.ids)], ["key_id"], ["__count", "create_date:max"]
            )
        }
        for key in self:
            key.call_count, key.last_call_date = stats.get(key.id, (0, False))

    # ------------------------------------------------------------------ ORM
    def write(self, vals):
        if vals.get("active") and self.filtered("revoked_date"):
            raise UserError(self.env._("A revoked key cannot be reactivated. Create a new key instead."))
        return super().write(vals)

    # ------------------------------------------------------------------ ACTIONS
    def action_generate_key(self):
        """Create the secret and show it once."""
        self.ensure_one()
        if self.key_prefix:
            raise UserError(self.env._("This key was already generated. Create a new key to replace it."))
        plain = self._generate_key()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Your new integration key"),
            "res_model": "pi.integration.key.show",
            "view_mode": "form",
            "target": "new",
            # The key travels to the browser in the context and is never stored
            # in clear, as with stock API keys (res.users.apikeys.show).
            "context": {"default_key": plain, "default_key_name": self.name},
        }

    def action_revoke(self):
        """Revoke at once: the next call with the key is refused."""
        self.write({"active": False, "revoked_date": fields.Datetime.now(), "revoked_by_id": self.env.uid})
        for key in self:
            _logger.info("Integration key %s (%s) revoked by uid %s", key.id, key.key_prefix, self.env.uid)
        return True

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_crm.pi_api_call_action")
        action["domain"] = [("key_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------ BUSINESS
    def _generate_key(self):
        """Store prefix, salt and hash; return the plain key (the only time it exists)."""
        self.ensure_one()
        prefix = secrets.token_hex(4)
        while self.with_context(active_test=False).search_count([("key_prefix", "=", prefix)]):
            prefix = secrets.token_hex(4)
        plain = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        salt = secrets.token_hex(16)
        self.sudo().write({"key_prefix": prefix, "key_salt": salt, "key_hash": self._hash_key(salt, plain)})
        return plain

    @staticmethod
    def _hash_key(salt, plain):
        return hashlib.sha256(f"{salt}:{plain}".encode()).hexdigest()

    @api.model
    def _authenticate(self, plain):
        """The active key matching ``plain``, or an empty recordset.

        One indexed lookup by prefix and a constant-time comparison; no cache,
        so a revoked key is refused on the very next call.
        """
        match = KEY_RE.fullmatch((plain or "").strip())  # the secret may contain "_"
        if not match:
            return self.browse()
        # One index probe that also reads what the call needs of the key.
        key = self.sudo().with_context(active_test=True).search_fetch(
            [("key_prefix", "=", match.group(1))], ["key_hash", "key_salt", "kind", "user_id", "rate_limit", "name"],
            limit=1,
        )
        if not key or not key.key_hash:
            return self.browse()
        if not hmac.compare_digest(key.key_hash, self._hash_key(key.key_salt, plain.strip())):
            return self.browse()
        return key

    def _get_rate_limit(self):
        self.ensure_one()
        if self.rate_limit:
            return self.rate_limit
        param = self.env["ir.config_parameter"].sudo().get_param("pi_crm.intake_rate_limit")
        try:
            return max(int(param), 1) if param else DEFAULT_RATE_LIMIT
        except ValueError:
            _logger.warning("Ignoring non-integer pi_crm.intake_rate_limit=%r", param)
            return DEFAULT_RATE_LIMIT

    def _check_rate_limit(self):
        """Seconds to wait before the next call is accepted, or 0.

        Counts the key's audit rows of the last minute (index on key_id,
        create_date) and stops counting at the limit; the minute is the clock's,
        as the rows' dates (``pi.api.call._log_call``). The log is shared by all
        workers, so the limit holds across them, give or take the calls still
        in flight in other transactions.
        """
        self.ensure_one()
        limit = self._get_rate_limit()
        self.env.cr.execute(
            """
            SELECT count(*), %(window)s - extract(epoch FROM (statement_timestamp() AT TIME ZONE 'UTC')
                                                               - min(create_date))
              FROM (SELECT create_date FROM pi_api_call
                     WHERE key_id = %(key)s
                       AND create_date > (statement_timestamp() AT TIME ZONE 'UTC') - make_interval(secs => %(window)s)
                       AND status_code <> 429
                     ORDER BY create_date DESC LIMIT %(limit)s) recent
            """,
            {"key": self.id, "window": RATE_WINDOW_SECONDS, "limit": limit},
        )
        count, remaining = self.env.cr.fetchone()
        if count < limit:
            return 0
        return max(1, math.ceil(remaining))
