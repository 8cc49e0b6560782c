import hashlib
import hmac
import logging
import math
import re
import secrets

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, escape_psql, format_amount

from ..tools import vn_phone

_logger = logging.getLogger(__name__)

KEY_PREFIX = "pik"
# pik_<8 hex>_<token_urlsafe(32)>: anything else is refused before the database is asked.
KEY_RE = re.compile(rf"{KEY_PREFIX}_([0-9a-f]{{8}})_[A-Za-z0-9_-]{{16,100}}")
RATE_WINDOW_SECONDS = 60
DEFAULT_RATE_LIMIT = 60


class PiIntegrationKey(models.Model):
    """A key an outside system (website, PBX) presents in ``X-PI-Key``.

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
        create_date) and stops counting at the limit. The log is shared by all
        workers, so the limit holds across them, give or take the calls still
        in flight in other transactions.
        """
        self.ensure_one()
        limit = self._get_rate_limit()
        self.env.cr.execute(
            """
            SELECT count(*), %(window)s - extract(epoch FROM (now() AT TIME ZONE 'UTC') - min(create_date))
              FROM (SELECT create_date FROM pi_api_call
                     WHERE key_id = %(key)s
                       AND create_date > (now() AT TIME ZONE 'UTC') - make_interval(secs => %(window)s)
                       AND status_code <> 429
                     ORDER BY create_date DESC LIMIT %(limit)s) recent
            """,
            {"key": self.id, "window": RATE_WINDOW_SECONDS, "limit": limit},
        )
        count, remaining = self.env.cr.fetchone()
        if count < limit:
            return 0
        return max(1, math.ceil(remaining))

    # -------------------------------------------------------------- intake
    def _intake_env(self):
        """The environment of the key's technical user (not superuser), in Vietnamese.

        ``mail_activity_quick_update``: activities scheduled during intake (the
        To-Do of a new lead, the call-back of a known customer) appear in the
        assignee's activity menu without an assignment e-mail, which the
        technical user could not send (it has no address) and which would
        slow every call down.
        """
        self.ensure_one()
        lang = "vi_VN" if self.env["res.lang"]._lang_get("vi_VN") else "en_US"
        # mail_create_nosubscribe: the technical user must not follow every lead it creates.
        return self.with_user(self.user_id).with_context(
            lang=lang, mail_activity_quick_update=True, mail_create_nosubscribe=True
        ).env

    def _intake_lead(self, clean):
        """Create or merge a website submission; run as the key's user.

        :param dict clean: output of ``intake_validation.validate_lead``
        :returns: ``(status, record)`` with status ``created`` or ``merged``
        """
        self.ensure_one()
        env = self._intake_env()
        Lead = env["crm.lead"]
        Partner = env["res.partner"]
        lead = partner = None
        # Duplicate checks in SQL on indexed columns (see _pi_search_phone).
        if clean["phone"]:
            lead = Lead._pi_search_phone(clean["phone"], order="id desc")
            if not lead:
                partner = Partner._pi_search_phone(clean["phone"])
        if not lead and not partner and clean["email"]:
            email = clean["email"].lower()
            lead = Lead._pi_search_email(email, order="id desc")
            if not lead:
                partner = Partner._pi_search_email(email)
        body = self._intake_summary_html(clean)
        if lead:
            lead._message_log(**self._intake_note_values(env, body))
            return "merged", lead
        if partner:
            partner._message_log(**self._intake_note_values(env, body))
            if partner.user_id:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=env._("Contact the customer: new website submission"),
                    user_id=partner.user_id.id,
                )
            return "merged", partner
        lead = self._intake_create_lead(self._prepare_intake_lead_values(clean, body))
        return "created", lead

    @api.model
    def _intake_note_values(self, env, body):
        """A note authored by the technical user, without sender address (it
        has none, and computing one costs a partner and company read)."""
        return {"body": body, "author_id": env.user.partner_id.id, "email_from": False}

    def _intake_create_lead(self, values):
        """Create a lead as the technical user.

        ``mail_create_nolog``: no generic "Lead created" chatter line (the
        submission is in the description and the new-lead queue is driven by
        the To-Do activity); ``mail_notrack``: nothing to track on a record
        that did not exist. Both spare work on every creation, and creation is
        what bounds the website endpoint's throughput (see bench/bench_intake.py).
        """
        env = self._intake_env()
        return env["crm.lead"].with_context(mail_create_nolog=True, mail_notrack=True).create(values)

    def _prepare_intake_lead_values(self, clean, body):
        env = self._intake_env()
        if clean["interest"] == "invest":
            title = env._("Investment registration: %(name)s", name=clean["name"])
        elif clean["interest"] == "newsletter":
            title = env._("Newsletter subscription: %(name)s", name=clean["name"])
        else:
            title = env._("Website: %(name)s", name=clean["name"])
        values = {
            "name": title,
            "type": "lead",
            "contact_name": clean["name"],
            "phone": clean["phone"] or False,
            "email_from": clean["email"] or False,
            "description": body,
            "expected_revenue": clean["amount"] or 0,
            "source_id": self._get_utm_source("website").id,
            "country_id": self._country_of_phone(clean["phone"]),
            **self._prepare_intake_assignment_values(),
        }
        medium = self._find_utm("utm.medium", clean["utm_medium"]) or env.ref(
            "utm.utm_medium_website", raise_if_not_found=False
        )
        if medium:
            values["medium_id"] = medium.id
        campaign = self._find_utm("utm.campaign", clean["utm_campaign"])
        if campaign:
            values["campaign_id"] = campaign.id
        return values

    def _prepare_intake_assignment_values(self):
        """Who a lead from outside goes to: nobody owns it yet, so it waits in
        the new-lead queue ("KH mới chưa tư vấn") without a salesperson (the
        technical user would otherwise become it by default).

        With stock rule-based assignment on (CRM settings,
        ``crm.lead.auto.assignment``) it is left without a team too, as
        ``crm.team._cron_assign_leads`` only takes such leads: the cron gives
        it a team and a salesperson, who then gets the To-Do. Otherwise it
        joins PI's default sales team (the first by sequence, stock
        ``crm.team._get_default_team_id``), whose leader (``crm.team.user_id``)
        gets the To-Do (``crm.lead._pi_schedule_consult_activity``).
        """
        if self.env["ir.config_parameter"].sudo().get_param("crm.lead.auto.assignment"):
            return {"user_id": False, "team_id": False}
        team = self._intake_env()["crm.team"]._get_default_team_id(domain=[("use_leads", "=", True)])
        return {"user_id": False, "team_id": team.id}

    def _intake_summary_html(self, clean):
        env = self._intake_env()
        labels = [
            ("name", env._("Name")),
            ("phone", env._("Phone")),
            ("email", env._("Email")),
            ("gender", env._("Gender")),
            ("interest", env._("Interest")),
            ("amount", env._("Amount (VND)")),
            ("utm_source", env._("UTM source")),
            ("utm_medium", env._("UTM medium")),
            ("utm_campaign", env._("UTM campaign")),
            ("note", env._("Note")),
        ]
        rows = Markup("").join(
            Markup("<li><b>%s:</b> %s</li>") % (label, self._intake_summary_value(env, field, clean[field]))
            for field, label in labels
            if clean.get(field) not in (None, "")
        )
        title = env._("Submission received from %(key)s", key=self.name)
        return Markup("<p>%s</p><ul>%s</ul>") % (title, rows)

    @api.model
    def _intake_summary_value(self, env, field, value):
        """A submitted value as staff read it: words for the API's codes, amounts in đồng."""
        if field == "gender":
            labels = dict(env["res.partner"]._fields["pi_gender"]._description_selection(env))
            return labels.get(value, value)
        if field == "interest":
            return {"invest": env._("Investment"), "newsletter": env._("Newsletter")}.get(value, value)
        if field == "amount":
            return format_amount(env, value, env.ref("base.VND"))
        return value

    def _country_of_phone(self, number):
        """Vietnam for a +84 number (the lead's phone is then formatted as
        Vietnamese without reading the company's address), else nothing."""
        if number and number.startswith("+84"):
            return self.env.ref("base.vn").id
        return False

    def _get_utm_source(self, which):
        """The UTM source "Website" or "Tổng đài" shipped with the module; if
        staff deleted it, one of the same name is found or created."""
        xmlid, name = {
            "website": ("pi_crm.utm_source_website", "Website"),
            "switchboard": ("pi_crm.utm_source_switchboard", "Tổng đài"),
        }[which]
        source = self.env.ref(xmlid, raise_if_not_found=False)
        if source:
            return source
        Source = self.env["utm.source"].sudo()
        return Source.search([("name", "=", name)], limit=1) or Source.create({"name": name})

    def _find_utm(self, model, name):
        """An existing UTM record of that name, whatever its case (as stock
        ``utm.mixin._find_or_create_record`` matches); public input never
        creates one. ``%`` and ``_`` in the name are literal characters, not
        wildcards matching any record."""
        if not name:
            return self.env[model]
        return self.env[model].sudo().search([("name", "=ilike", escape_psql(name))], limit=1)

    def _intake_pbx_call(self, clean, retry_of=None):
        """Identify the caller and create a lead for a new number.

        Only what the answer needs happens here, while the phone rings; the
        history entry and the live notice are returned as a follow-up for
        ``_intake_run_followup``, which the controller runs right after the
        answer has gone out.

        :param dict clean: output of ``intake_validation.validate_pbx``
        :param tuple retry_of: ``(result, res_model, res_id)`` of the first
            answer when the switchboard resends a call: the caller is the
            one answered then, even if the number's records changed since
        :returns: ``(answer, record, followup)``: the JSON answer (dict), the
            partner or lead, and the follow-up (JSON-able dict)
        """
        self.ensure_one()
        env = self._intake_env()
        number = clean["caller"]
        Lead = env["crm.lead"]
        first_match, first_model, first_id = retry_of or (None, None, None)
        first_lead = Lead.browse(first_id).exists() if first_model == "crm.lead" and first_id else Lead.browse()
        if first_lead:
            partner, partner_name, responsible, responsible_name = env["res.partner"], None, env["res.users"], None
        else:
            partner, partner_name, responsible, responsible_name = self._pbx_find_partner(
                number, partner_id=first_id if first_model == "res.partner" else None
            )
        lead = Lead.browse()
        if partner:
            answer = {"match": "partner", "partner_id": partner.id, "name": partner_name}
            team = env["crm.team"]
            record = partner
        else:
            lead_fields = ["name", "contact_name", "partner_name", "partner_id", "user_id", "team_id"]
            lead = (first_lead or Lead._pi_search_phone(number, order="id desc")).sudo()
            lead.fetch(lead_fields)
            if lead:
                # a resent call that created the lead is still "new"
                answer = {"match": first_match if first_lead else "lead", "lead_id": lead.id}
            else:
                lead = self._intake_create_lead(self._prepare_pbx_lead_values(clean))
                answer = {"match": "new", "lead_id": lead.id}
            answer["name"] = lead.contact_name or lead.partner_name or lead.name
            responsible, team = lead.user_id, lead.team_id
            record = lead
            responsible_name = responsible.partner_id.name
        answer.update(
            salesperson=responsible_name or None,
            url=f"{record.get_base_url()}/odoo/{record._name}/{record.id}",
        )
        followup = {
            "key_id": self.id,
            "kind": "pbx_call",
            "caller": clean["caller"],
            "called": clean.get("called") or "",
            "call_id": clean.get("call_id") or "",
            "date": fields.Datetime.to_string(fields.Datetime.now()),
            "partner_id": partner.id or False,
            "lead_id": lead.id or False,
            "responsible_id": responsible.id or False,
            "team_id": team.id or False,
            "answer": {key: answer[key] for key in ("match", "name", "url")},
        }
        return answer, record, followup

    def _pbx_find_partner(self, number, partner_id=None):
        """The active contact with ``number`` (E.164) on either number,
        preferring one a consultant looks after (a couple or an office may
        share a line), with its display name and its consultant's name.
        With ``partner_id`` (the contact a resent call was first answered
        with), that contact while it exists, else the lookup by number.

        One SQL query on the indexed columns (see ``pi.phone.lookup.mixin``):
        this runs while the phone rings, and reading the same through the ORM
        costs two more queries and their record-rule checks. The technical
        user may read every contact anyway.

        :returns: ``(partner, name, responsible user, responsible_name)``;
            an empty partner when unknown
        """
        Partner = self.env["res.partner"]
        Partner.flush_model(["active", "phone_sanitized", "pi_phone_other_sanitized", "complete_name", "user_id"])
        conditions = [SQL("partner.id = %s", partner_id)] if partner_id else []
        conditions.append(Partner._pi_phone_condition(number, "partner"))
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
            return Partner.browse(), None, self.env["res.users"], None
        partner_id, name, user_id, responsible_name = row
        return Partner.sudo().browse(partner_id), name, self.env["res.users"].browse(user_id), responsible_name

    def _intake_run_followup(self, followup):
        """The work a call leaves for after its answer (see ``pi.api.call``):
        for a switchboard call, its history entry and the live notice."""
        self.ensure_one()
        if followup.get("kind") != "pbx_call":
            raise ValueError(f"Unknown intake follow-up {followup.get('kind')!r}")
        env = self._intake_env()
        partner = env["res.partner"].browse(followup["partner_id"]).exists()
        lead = env["crm.lead"].browse(followup["lead_id"]).exists()
        responsible = env["res.users"].browse(followup["responsible_id"]).exists()
        team = env["crm.team"].browse(followup["team_id"]).exists()
        if not partner and not lead:
            _logger.info("Incoming call %s: its customer was deleted meanwhile", followup.get("call_id"))
        else:
            self._log_pbx_interaction(followup, partner, lead, responsible)
        self._notify_incoming_call(followup, followup["answer"], responsible, team)

    def _prepare_pbx_lead_values(self, clean):
        env = self._intake_env()
        values = {
            "name": env._("Incoming call from %(number)s", number=vn_phone.display_phone(clean["caller"])),
            "type": "lead",
            "phone": clean["caller"],
            "source_id": self._get_utm_source("switchboard").id,
            "country_id": self._country_of_phone(clean["caller"]),
            **self._prepare_intake_assignment_values(),
        }
        medium = env.ref("utm.utm_medium_phone", raise_if_not_found=False)
        if medium:
            values["medium_id"] = medium.id
        return values

    def _log_pbx_interaction(self, clean, partner, lead, responsible):
        """Log the call as an inbound ``pi.interaction``.

        The switchboard's own record is an ``intake`` interaction: it stays in the
        customer's history but does not count as a consultation, so a lead in
        the "not consulted yet" queue stays there until a consultant logs a call.
        """
        env = self._intake_env()
        summary = env._("Incoming call from %(caller)s", caller=vn_phone.display_phone(clean["caller"]))
        if clean.get("called"):
            summary += env._(" to line %(line)s", line=clean["called"])
        if clean.get("call_id"):
            summary += env._(" (PBX call %(call)s)", call=clean["call_id"])
        values = {
            "partner_id": (partner or lead.partner_id).id or False,
            "lead_id": lead.id or False,
            "channel": "call",
            "direction": "in",
            "date": clean.get("date") or fields.Datetime.now(),
            "summary": summary,
            "intake": True,
        }
        if responsible:
            values["user_id"] = responsible.id
        env["pi.interaction"].create(values)

    def _notify_incoming_call(self, clean, answer, responsible, team):
        """Live notice in the web client of the consultant, else of the team,
        else of the managers; each in their own language."""
        users = responsible
        if not users and team:
            users = team.member_ids | team.user_id
        if not users:
            group = self.env.ref("pi_crm.group_pi_manager")
            group.flush_model(["users"])
            self.env.cr.execute("SELECT uid FROM res_groups_users_rel WHERE gid = %s", (group.id,))
            users = self.env["res.users"].browse(row[0] for row in self.env.cr.fetchall())
        if not users:
            return
        # One query for the recipients' bus channels (their partners) and languages.
        self.env["res.users"].flush_model(["active", "share", "partner_id"])
        self.env["res.partner"].flush_model(["lang"])
        self.env.cr.execute(
            """SELECT partner.id, partner.lang FROM res_users usr JOIN res_partner partner ON partner.id = usr.partner_id
                WHERE usr.id IN %s AND usr.active AND NOT usr.share""",
            (tuple(users.ids),),
        )
        partner_ids_by_lang = {}
        for partner_id, lang in self.env.cr.fetchall():
            partner_ids_by_lang.setdefault(lang or "vi_VN", []).append(partner_id)
        payload = {
            "caller": clean["caller"],
            "called": clean.get("called") or "",
            "match": answer["match"],
            "name": answer["name"],
            "url": answer["url"],
        }
        for lang, partner_ids in partner_ids_by_lang.items():
            env = self.with_context(lang=lang).env
            texts = {
                "title": env._("Incoming call"),
                "message": env._(
                    "%(name)s is calling (%(number)s)",
                    name=answer["name"],
                    number=vn_phone.display_phone(clean["caller"]),
                ),
                "button": env._("Open"),
            }
            # A user's bus channel is their partner (res.users._bus_channel).
            self.env["res.partner"].browse(partner_ids)._bus_send("pi_crm.incoming_call", dict(payload, **texts))
