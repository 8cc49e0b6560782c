import re

import lxml.html
import markupsafe

from odoo import api, models, tools
from odoo.tools.mail import URL_SKIP_PROTOCOL_REGEX

from odoo.addons.link_tracker.tools.html import find_links_with_urls_and_labels

# links never shortened: Odoo's own (record, unsubscribe, tracking, portal) and any carrying a token
UNTRACKED_LINKS = ("/mail/", "/web", "/my/", "/r/", "/unsubscribe_from_list", "/view", "/cards/", "/sms/",
                   "access_token", "token=", "signature")
# cr.cache key of the link trackers found during one _send (url, label) -> short url
SHORT_URLS_KEY = "pi_crm_short_urls"


class MailMail(models.Model):
    """Opens and clicks of PI's own emails, through stock ``mass_mailing``'s traces.

    An email whose message is of a tracked ``pi_care_kind`` (the intro kit, the
    nurture, the statements: ``mail.message._pi_tracked_care_kinds``) and that no
    campaign tracks already gets a ``mailing.trace`` when it is sent, then stock's
    open pixel (``/mail/track/<mail>/<token>/blank.gif``) and its links through
    ``link.tracker`` with the trace (``/r/<code>/m/<trace>``), as stock does for a
    campaign. Keyed on the message only: whoever sends (pi_contracts' statements
    included) needs no change.
    """

    _inherit = "mail.mail"

    def _send(self, auto_commit=False, raise_exception=False, smtp_session=None, alias_domain_id=False,
              mail_server=False, post_send_callback=None):
        self._pi_create_care_traces()
        cache = self.env.cr.cache
        cache[SHORT_URLS_KEY] = {}
        try:
            return super()._send(
                auto_commit=auto_commit, raise_exception=raise_exception, smtp_session=smtp_session,
                alias_domain_id=alias_domain_id, mail_server=mail_server, post_send_callback=post_send_callback)
        finally:
            cache.pop(SHORT_URLS_KEY, None)

    def _pi_care_mails(self):
        """These emails that PI tracks itself: a tracked care kind, a document, no campaign."""
        kinds = self.env["mail.message"]._pi_tracked_care_kinds()
        return self.filtered(lambda mail: not mail.mailing_id and mail.model and mail.res_id
                             and mail.mail_message_id.pi_care_kind in kinds)

    def _pi_create_care_traces(self):
        """One trace per care email about to be sent that has none yet (as superuser:
        traces are technical records, like the ones stock's composer creates)."""
        mails = self.sudo()._pi_care_mails().filtered(
            lambda mail: mail.state == "outgoing" and not mail.mailing_trace_ids)
        if not mails:
            return
        self.env["mailing.trace"].sudo().create([{
            "trace_type": "mail",
            "mail_mail_id": mail.id,
            "message_id": mail.message_id,
            "model": mail.model,
            "res_id": mail.res_id,
            "email": tools.email_normalize(mail.recipient_ids[:1].email or mail.email_to or "", strict=False) or "",
            # a notification is on the timeline already (report/pi_timeline.py); an email sent like a campaign's not
            "pi_on_timeline": not mail.is_notification,
            "pi_subject": mail.subject,
        } for mail in mails])

    def _prepare_outgoing_body(self):
        body = super()._prepare_outgoing_body()
        if body and not self.mailing_id and self.mailing_trace_ids and self in self._pi_care_mails():
            trace = self.mailing_trace_ids[0]
            body = self._pi_track_links(body, trace)
            body = tools.mail.append_content_to_html(
                body, markupsafe.Markup('<img src="%s" alt=""/>') % self._get_tracking_url(), plaintext=False)
        return body

    def _pi_track_links(self, body, trace):
        """``body`` with its web links through link trackers, tagged with ``trace``."""
        base_url = self.get_base_url()
        root = lxml.html.fromstring(body)
        nodes, urls_and_labels = find_links_with_urls_and_labels(
            root, base_url, skip_regex=rf"^{URL_SKIP_PROTOCOL_REGEX}", skip_list=UNTRACKED_LINKS)
        pairs = [(item["url"], item["label"]) for item in urls_and_labels]
        if not pairs:
            return body
        short_urls = self._pi_short_urls(pairs)
        for node, pair in zip(nodes, pairs, strict=True):
            if short_urls.get(pair):
                node.set("href", f"{short_urls[pair]}/m/{trace.id}")
        tracked = lxml.html.tostring(root, encoding="unicode", method="xml")
        return markupsafe.Markup(tracked) if isinstance(body, markupsafe.Markup) else tracked

    @api.model
    def _pi_short_urls(self, pairs):
        """``{(url, label): short url}``, the trackers found or created once per sending."""
        cache = self.env.cr.cache.setdefault(SHORT_URLS_KEY, {})
        missing = list(dict.fromkeys(pair for pair in pairs if pair not in cache and re.match(r"^https?://", pair[0])))
        if missing:
            # the page's title is the link itself: no request to the page while sending
            trackers = self.env["link.tracker"].sudo().search_or_create(
                [{"url": url, "label": label, "title": label or url} for url, label in missing])
            cache.update({pair: tracker.short_url for pair, tracker in zip(missing, trackers, strict=True)})
        return cache

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # stock updates the traces of campaigns' emails only
        traces = self.filtered(lambda mail: not mail.mailing_id).mailing_trace_ids
        if failure_type:
            traces.sudo().set_failed(failure_type=failure_type)
        else:
            traces.sudo().set_sent()
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type)
