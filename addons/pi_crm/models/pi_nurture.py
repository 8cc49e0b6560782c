import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import groupby

from ..tools import marketing_care

_logger = logging.getLogger(__name__)

NURTURE_TEMPLATE = "pi_crm.mail_template_nurture"


class PiNurture(models.AbstractModel):
    """The two-week nurture: PI's performance email to the leads staff flagged
    (``crm.lead.pi_nurture``), once their first interaction (or, without one, their
    creation) is two weeks old, then once per cycle, until they are won or their
    customer invests. No access rights and private methods only: the daily job
    ``pi_crm.ir_cron_nurture_mail`` is the one way in.

    Sent like a campaign (stock composer in mass mode, one rendering per batch,
    emails queued), each email a ``pi_care_kind`` "marketing" message of the lead
    with its trace: on the lead's timeline, opens and clicks tracked (mail.mail).
    """

    _name = "pi.nurture"
    _description = "Two-week Nurture Email"

    @api.model
    def _pi_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            marketing_care.positive_days(
                params.get_param(marketing_care.NURTURE_DELAY_PARAM), marketing_care.DEFAULT_NURTURE_DELAY_DAYS),
            marketing_care.positive_days(
                params.get_param(marketing_care.NURTURE_CYCLE_PARAM), marketing_care.DEFAULT_NURTURE_CYCLE_DAYS),
        )

    @api.model
    def _pi_lang(self):
        """PI's language (Vietnamese when installed): the nurture's leads are PI's prospects."""
        return "vi_VN" if self.env["res.lang"]._get_code("vi_VN") else self.env.lang

    @api.model
    def _cron_send(self, batch_size=500, now=None):
        """Send the nurture email to at most ``batch_size`` due leads; return how many.

        Crash-safe by transactions: a batch's leads are locked (``FOR UPDATE SKIP
        LOCKED``: a second worker takes other leads), stamped and their emails and
        traces created in one transaction, which the cron commits after each call
        (``_notify_progress`` asks for the next batch). A crash or a killed worker
        loses the uncommitted batch whole, stamps and emails together: the rerun
        sends it, and never a committed one again.
        """
        if not self.env.su:
            raise AccessError(self.env._("The marketing emails are sent by the daily nurture job only."))
        now = now or fields.Datetime.now()
        Lead = self.env["crm.lead"].with_context(active_test=True)
        # when PI's setting asks for it, only leads whose customer granted marketing by e-mail
        consent_domain = self.env["pi.consent"]._pi_marketing_allowed_domain("email", partner_field="partner_id")
        domain = Lead._pi_nurture_domain(now, *self._pi_settings()) + consent_domain
        leads = self._pi_lock(Lead.search(domain, limit=batch_size, order="id"), domain)
        if leads:
            self._pi_send(leads, now)
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        remaining = Lead.search_count(domain) if leads else 0
        self.env["ir.cron"]._notify_progress(done=len(leads), remaining=remaining)
        return len(leads)

    @api.model
    def _pi_lock(self, leads, domain):
        """The leads of ``leads`` no other worker holds, still due once locked."""
        if not leads:
            return leads
        self.env.cr.execute(
            "SELECT id FROM crm_lead WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED", [tuple(leads.ids)])
        locked = [row[0] for row in self.env.cr.fetchall()]
        leads.invalidate_recordset(["pi_nurture_date"])
        # stamped by a worker that committed between our search and our lock: not due anymore
        return leads.search(domain + [("id", "in", locked)], order="id")

    @api.model
    def _pi_send(self, leads, now):
        """Stamp ``leads`` and queue their emails, rendered with each consultant's rights.

        The template is edited by PI's managers with placeholders only (stock's check
        on every save, mail.render.mixin); it renders as the lead's consultant, never
        as superuser, so whatever it holds reads only what that consultant may read.
        """
        # the template's text in PI's language, rendered per lead as a campaign's body is
        # (one rendering of the body per batch, not the template's per-lead language lookup)
        template = self.env.ref(NURTURE_TEMPLATE).with_context(lang=self._pi_lang())
        leads.write({"pi_nurture_date": now})
        mails = self.env["mail.mail"].sudo()
        for user, group in groupby(leads, key=lambda lead: lead.user_id):
            ids = [lead.id for lead in group]
            # mail_composer_force_partners: the lead's address as such, no contact made for it (as campaigns do)
            composer = self.env["mail.compose.message"].with_user(user).with_context(
                mail_create_nosubscribe=True, mail_composer_force_partners=False,
            ).create({
                "composition_mode": "mass_mail",
                "model": "crm.lead",
                "res_ids": str(ids),
                "subject": template.subject,
                "body": template.body_html,
                "pi_care_kind": "marketing",
                "auto_delete": False,  # the email stays on the lead, as its timeline says
                "use_exclusion_list": True,  # blacklisted addresses: cancelled, never sent
                "force_send": False,
            })
            mails |= composer._action_send_mail()[0]
        mails._pi_create_care_traces()
        return mails
