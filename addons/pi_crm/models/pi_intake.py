import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import escape_psql, format_amount

from ..tools import intake_text

_logger = logging.getLogger(__name__)


class PiIntake(models.AbstractModel):
    """What the intake API does once a call is authenticated and its body valid.

    ``controllers/intake.py`` parses, validates and authenticates, then calls
    ``_submit_lead`` (website) or ``_receive_call`` (switchboard) with the
    caller's key; both run as the key's technical user (``_key_env``), never
    as superuser. The records do their own part: the caller lookup is
    ``res.partner._pi_find_caller`` (``pi_phone_lookup_mixin.py``), leads are
    made by ``crm.lead._pi_create_from_website``/``_pi_create_from_call``,
    and what a call leaves for after its answer (history entry, live notice)
    is run by ``pi.api.call._run_followups``.
    """

    _name = "pi.intake"
    _description = "Intake API (website leads, switchboard calls)"

    @api.model
    def _key_env(self, key):
        """The environment of the key's technical user (not superuser), in Vietnamese.

        ``mail_activity_quick_update``: activities scheduled during intake (the
        To-Do of a new lead, the call-back of a known customer) appear in the
        assignee's activity menu without an assignment e-mail, which the
        technical user could not send (it has no address) and which would
        slow every call down. ``mail_create_nosubscribe``: the technical user
        must not follow every lead it creates.
        """
        key.ensure_one()
        lang = "vi_VN" if self.env["res.lang"]._lang_get("vi_VN") else "en_US"
        return self.with_user(key.user_id).with_context(
            lang=lang, mail_activity_quick_update=True, mail_create_nosubscribe=True
        ).env

    # ------------------------------------------------------------ website
    @api.model
    def _submit_lead(self, key, clean):
        """Create or merge a website submission, as the key's user.

        A submission whose phone, else e-mail, is a lead's or a customer's
        becomes a note on it (and a To-Do for the customer's consultant);
        otherwise it is a new lead.

        :param clean: output of ``intake_validation.validate_lead``
        :returns: ``(status, record)`` with status ``created`` or ``merged``
        """
        env = self._key_env(key)
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
        body = env["pi.intake"]._summary_html(key, clean)
        if lead:
            lead._message_log(**self._note_values(env, body))
            return "merged", lead
        if partner:
            partner._message_log(**self._note_values(env, body))
            if partner.user_id:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=env._("Contact the customer: new website submission"),
                    user_id=partner.user_id.id,
                )
            return "merged", partner
        return "created", Lead._pi_create_from_website(clean, env["pi.intake"]._lead_title(clean), body)

    @api.model
    def _lead_title(self, clean):
        """The title of a new website lead, by what the person is interested in."""
        titles = {
            "invest": self.env._("Investment registration: %(name)s"),
            "newsletter": self.env._("Newsletter subscription: %(name)s"),
            "website": self.env._("Website: %(name)s"),
        }
        return intake_text.lead_title(clean["interest"], clean["name"], titles)

    @api.model
    def _note_values(self, env, body):
        """A note authored by the technical user, without sender address (it
        has none, and computing one costs a partner and company read)."""
        return {"body": body, "author_id": env.user.partner_id.id, "email_from": False}

    @api.model
    def _summary_html(self, key, clean):
        """The submission as staff read it, for the lead's description or the note."""
        env = self.env
        labels = {
            "name": env._("Name"),
            "phone": env._("Phone"),
            "email": env._("Email"),
            "gender": env._("Gender"),
            "province": env._("Province"),
            "interest": env._("Interest"),
            "amount": env._("Amount (VND)"),
            "utm_source": env._("UTM source"),
            "utm_medium": env._("UTM medium"),
            "utm_campaign": env._("UTM campaign"),
            "note": env._("Note"),
        }
        genders = dict(env["res.partner"]._fields["pi_gender"]._description_selection(env))
        interests = {"invest": env._("Investment"), "newsletter": env._("Newsletter")}
        vnd = env.ref("base.VND")
        formatters = {
            "gender": lambda value: genders.get(value, value),
            "interest": lambda value: interests.get(value, value),
            "amount": lambda value: format_amount(env, value, vnd),
        }
        rows = Markup("").join(
            Markup("<li><b>%s:</b> %s</li>") % row for row in intake_text.summary_rows(clean, labels, formatters)
        )
        title = env._("Submission received from %(key)s", key=key.name)
        return Markup("<p>%s</p><ul>%s</ul>") % (title, rows)

    @api.model
    def _utm_source(self, which):
        """The UTM source "Website" or "Tổng đài" shipped with the module; if
        staff deleted it, one of the same name is found or created (as
        superuser: the technical user has no right on UTM sources)."""
        xmlid, name = {
            "website": ("pi_crm.utm_source_website", "Website"),
            "switchboard": ("pi_crm.utm_source_switchboard", "Tổng đài"),
        }[which]
        source = self.env.ref(xmlid, raise_if_not_found=False)
        if source:
            return source
        Source = self.env["utm.source"].sudo()
        return Source.search([("name", "=", name)], limit=1) or Source.create({"name": name})

    @api.model
    def _find_utm(self, model, name):
        """An existing UTM record of that name, whatever its case (as stock
        ``utm.mixin._find_or_create_record`` matches); public input never
        creates one. ``%`` and ``_`` in the name are literal characters, not
        wildcards matching any record. As superuser: a look-up by name only."""
        if not name:
            return self.env[model]
        return self.env[model].sudo().search([("name", "=ilike", escape_psql(name))], limit=1)

    # ------------------------------------------------------------ switchboard
    @api.model
    def _receive_call(self, key, clean, retry_of=None):
        """Identify the caller and create a lead for a new number, as the key's user.

        Only what the answer needs happens here, while the phone rings; the
        history entry and the live notice are returned as a follow-up, which
        the controller records on the call's audit row and
        ``pi.api.call._run_followups`` runs right after the answer has gone out.

        :param clean: output of ``intake_validation.validate_pbx``
        :param tuple retry_of: ``(result, res_model, res_id)`` of the first
            answer when the switchboard resends a call: the caller is the
            one answered then, even if the number's records changed since
        :returns: ``(answer, record, followup)``: the JSON answer (dict), the
            partner or lead, and the follow-up (JSON-able dict)
        """
        env = self._key_env(key)
        number = clean["caller"]
        Lead = env["crm.lead"]
        first_match, first_model, first_id = retry_of or (None, None, None)
        first_lead = Lead.browse(first_id).exists() if first_model == "crm.lead" and first_id else Lead.browse()
        if first_lead:
            partner, partner_name, responsible, responsible_name = env["res.partner"], None, env["res.users"], None
        else:
            partner, partner_name, responsible, responsible_name = env["res.partner"]._pi_find_caller(
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
                lead = Lead._pi_create_from_call(clean)
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
            "key_id": key.id,
            "kind": "pbx_call",
            "caller": clean["caller"],
            "called": clean.get("called") or "",
            "call_id": clean.get("call_id") or "",
            "date": fields.Datetime.to_string(fields.Datetime.now()),
            "partner_id": partner.id or False,
            "lead_id": lead.id or False,
            "responsible_id": responsible.id or False,
            "team_id": team.id or False,
            "answer": {name: answer[name] for name in ("match", "name", "url")},
        }
        return answer, record, followup
