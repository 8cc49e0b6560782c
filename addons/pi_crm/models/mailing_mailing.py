from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import email_normalize, html_sanitize
from odoo.tools.mail import generate_tracking_message_id

# What the mass mailing composer renders of a mailing (e-mail and SMS)
RENDERED_FIELDS = ("subject", "preview", "body_html", "body_plaintext", "email_from", "reply_to")


class MailingMailing(models.Model):
    """Stock email and SMS marketing, as PI runs it (managers; campaigns on
    ``utm.campaign``): each mass email and SMS leaves a note on its recipient's
    timeline (the chatter of the lead, customer or contact), tagged marketing."""

    _inherit = "mailing.mailing"

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        mailings = super().create(vals_list)
        mailings._pi_check_placeholders_only()
        return mailings

    def write(self, vals):
        result = super().write(vals)
        if "mailing_model_id" in vals or set(RENDERED_FIELDS) & set(vals):
            self._pi_check_placeholders_only()
        return result

    def _pi_check_placeholders_only(self):
        """A mailing holds placeholders only, unless a template editor writes it.

        Stock checks this for e-mail templates, not for mailings, and renders a
        mailing with the rights of whoever sends it: the queue's job sends as
        superuser, so code saved by a marketing user (PI's managers) would run
        with every right. The fields the composer renders, each checked with
        stock's own test (the placeholders of ``mail_allowed_qweb_expressions``).
        """
        if self.env.su or self.env.user.has_group("mail.group_mail_template_editor"):
            return
        for mailing in self.sudo():
            model = mailing.mailing_model_real
            for name in RENDERED_FIELDS:
                value = mailing[name]
                if not value:
                    continue
                unsafe = (self._has_unsafe_expression_template_qweb(value, model) if name == "body_html"
                          else self._has_unsafe_expression_template_inline_template(value, model))
                if unsafe:
                    raise AccessError(self.env._(
                        "%(field)s: only placeholders (the fields offered by the editor) are allowed in a mailing, "
                        "no code.", field=mailing._fields[name]._description_string(self.env)))

    # ------------------------------------------------------------ sending
    def _action_send_mail(self, res_ids=None):
        # stock mass e-mail keeps nothing on the recipient's record (unless the
        # whole e-mail is archived): one note per recipient, logged in one batch
        emails = self.filtered(lambda mailing: mailing.mailing_type == "mail")
        for mailing in emails:
            recipient_ids = res_ids or mailing._get_remaining_recipients()
            super(MailingMailing, mailing)._action_send_mail(res_ids=recipient_ids)
            mailing._pi_log_on_recipients(recipient_ids)
        if self - emails:
            return super(MailingMailing, self - emails)._action_send_mail(res_ids=res_ids)
        return True

    def _send_sms_get_composer_values(self, res_ids):
        # stock's own note per SMS (the composer's "keep a note") is the timeline
        # entry, tagged marketing by the composer (wizard/sms_composer.py)
        values = super()._send_sms_get_composer_values(res_ids)
        values["mass_keep_log"] = True
        return values

    def _pi_log_on_recipients(self, res_ids):
        """Log "E-mail campaign … sent" on the records this mailing just e-mailed.

        The records with a trace that was not cancelled (blacklisted, opted out,
        duplicates get none), in one query; the notes in one insert
        (:meth:`_pi_insert_notes`).
        """
        self.ensure_one()
        Model = self.env[self.mailing_model_real]
        if not res_ids or not isinstance(Model, self.pool["mail.thread"]):
            return
        groups = self.env["mailing.trace"].sudo()._read_group(
            [("mass_mailing_id", "=", self.id), ("res_id", "in", list(res_ids)),
             ("trace_status", "not in", ("cancel", "error"))],
            ["res_id"])
        records = Model.browse([res_id for (res_id,) in groups])
        if records:
            self._pi_insert_notes(records, self._pi_timeline_note())

    def _pi_insert_notes(self, records, text):
        """One internal note per record, the same ``text``, by the mailing's
        responsible, tagged marketing: what stock's ``_message_log_batch`` writes
        (no notification, no follower, no tracking), in a single INSERT.

        Through the ORM each note costs a sanitising of its body twice and the
        message's defaults and inverses: 7-8 ms a recipient, more than stock
        spends queueing the e-mail itself (bench/bench_campaign.py). The body is
        sanitised once here. Superuser's right, as ``_message_log_batch``: the
        sender may mail these records, which is what the note records.
        """
        author = (self.user_id or self.env.user).partner_id
        body = html_sanitize(Markup("<p>%s</p>") % text)
        ids = records.ids
        message_ids = [generate_tracking_message_id("pi-marketing") for _record in ids]
        self.env["mail.message"].flush_model()
        self.env.cr.execute("""
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, author_id, email_from,
                                      is_internal, email_add_signature, message_id, pi_care_kind, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT %(model)s, note.res_id, %(body)s, 'notification', %(subtype)s, %(author)s, %(email_from)s,
                   TRUE, FALSE, note.message_id, 'marketing', %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(ids)s::int[], %(message_ids)s::varchar[]) AS note(res_id, message_id)
        """, {
            "model": records._name, "body": body, "subtype": self.env.ref("mail.mt_note").id,
            "author": author.id, "email_from": author.email_formatted or None, "ids": ids,
            "message_ids": message_ids, "now": fields.Datetime.now(), "uid": self.env.uid,
        })
        self.env["mail.message"].invalidate_model()
        records.invalidate_recordset(["message_ids"])

    def _pi_timeline_note(self):
        self.ensure_one()
        if self.campaign_id:
            return self.env._("E-mail campaign “%(subject)s” (%(campaign)s) sent",
                              subject=self.subject, campaign=self.campaign_id.name)
        return self.env._("E-mail campaign “%(subject)s” sent", subject=self.subject)

    # ------------------------------------------------ consents (Decree 13/2023/NĐ-CP)
    def _pi_records_without_marketing_consent(self, channel):
        """The recipients of this mailing PI may not send marketing to on ``channel``: none while
        PI's setting does not ask for consent; else those whose person has no granted marketing
        consent on that channel (a recipient without a customer record has none)."""
        self.ensure_one()
        if not self.env["pi.consent"]._pi_marketing_requires_consent():
            return self.env[self.mailing_model_real]
        records = self.env[self.mailing_model_real].browse(self._get_remaining_recipients())
        if records._name == "res.partner":
            partner_of = {record: record for record in records}
        elif "partner_id" in records._fields:
            partner_of = {record: record.partner_id for record in records}
        else:
            return records
        partners = self.env["res.partner"].browse({partner.id for partner in partner_of.values() if partner})
        allowed = self.env["pi.consent"]._pi_marketing_allowed(partners, channel)
        return records.filtered(lambda record: not partner_of[record] or partner_of[record] not in allowed)

    def _get_opt_out_list(self):
        opt_out = super()._get_opt_out_list()
        refused = self._pi_records_without_marketing_consent("email")
        if not refused:
            return opt_out
        email_field = "email_normalized" if "email_normalized" in refused._fields else "email_from"
        emails = {email_normalize(email) for email in refused.mapped(email_field) if email}
        return list(set(opt_out) | emails)

    def _get_opt_out_list_sms(self):
        opt_out = super()._get_opt_out_list_sms()
        refused = self._pi_records_without_marketing_consent("sms")
        return list(set(opt_out) | set(refused.ids)) if refused else opt_out
