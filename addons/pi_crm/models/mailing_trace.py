from collections import Counter

from odoo import fields, models

from ..tools import marketing_care

# the documents whose opens and clicks feed the care list (pi.care.mixin)
CARE_MODELS = ("crm.lead", "res.partner")


class MailingTrace(models.Model):
    """Opens and clicks of emails to leads and customers, whatever sent them: PI's
    own traces (intro kit, nurture, statements: mail.mail._pi_create_care_traces)
    and stock campaigns' (mass_mailing). Stock's routes call ``set_opened`` (the
    open pixel, a click, a reply) and ``set_clicked`` (a tracked link)."""

    _inherit = "mailing.trace"

    # PI's own traces of emails that have no notification (the nurture, sent like a
    # campaign): the customer timeline shows them (report/pi_timeline.py), with their subject
    pi_on_timeline = fields.Boolean(string="On the Timeline", readonly=True)
    pi_subject = fields.Char(string="Subject", readonly=True)

    def set_opened(self, domain=None):
        traces = self + (self.search(domain) if domain else self.browse())
        first = traces.filtered(lambda trace: not trace.open_datetime)
        result = super(MailingTrace, traces).set_opened()
        first._pi_register_engagement(marketing_care.OPEN)
        return result

    def set_clicked(self, domain=None):
        traces = self + (self.search(domain) if domain else self.browse())
        first = traces.filtered(lambda trace: not trace.links_click_datetime)
        result = super(MailingTrace, traces).set_clicked()
        first._pi_register_engagement(marketing_care.CLICK)
        return result

    def _pi_register_engagement(self, kind):
        """Each trace counts once per kind (its first open, its first click), and only
        once its message left (``sent_datetime``): the click route takes any trace id,
        so a forged click on a trace never sent, or a second one, adds nothing."""
        traces = self.sudo().filtered(lambda trace: trace.model in CARE_MODELS and trace.res_id and trace.sent_datetime)
        for model in CARE_MODELS:
            counts = Counter(trace.res_id for trace in traces if trace.model == model)
            if counts:
                self.env[model].browse(list(counts))._pi_register_engagement(kind, counts=counts)
