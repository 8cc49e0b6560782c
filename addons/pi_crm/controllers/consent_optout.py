"""The opt-out link of PI's marketing messages: withdraws the marketing consent of one
person on one channel. The link carries a signature of the person and the channel, so
nobody can opt someone else out; a GET only asks, the POST withdraws."""

from odoo import http
from odoo.http import request
from odoo.tools.misc import consteq

from ..models.pi_consent import CHANNELS


class PiConsentOptout(http.Controller):
    def _partner_or_404(self, partner_id, channel, token):
        if channel not in dict(CHANNELS):
            raise request.not_found()
        # The signature is checked before any record is read: the URL cannot pick a partner.
        expected = request.env["res.partner"].sudo().browse(partner_id)._pi_optout_token(channel)
        if not token or not consteq(expected, token):
            raise request.not_found()
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner:
            raise request.not_found()
        return partner

    @http.route("/pi/optout/<int:partner_id>/<string:channel>/<string:token>", type="http", auth="public",
                methods=["GET"], website=False, sitemap=False)
    def optout_page(self, partner_id, channel, token):
        partner = self._partner_or_404(partner_id, channel, token)
        return request.render("pi_crm.pi_optout_page", {
            "partner": partner, "channel_label": dict(CHANNELS)[channel], "done": False,
            "action": f"/pi/optout/{partner_id}/{channel}/{token}"})

    @http.route("/pi/optout/<int:partner_id>/<string:channel>/<string:token>", type="http", auth="public",
                methods=["POST"], website=False, sitemap=False)
    def optout(self, partner_id, channel, token):
        partner = self._partner_or_404(partner_id, channel, token)
        # The signed link stands for the person's own request; superuser records it on their behalf.
        partner._pi_withdraw_marketing(channel, source="optout")
        return request.render("pi_crm.pi_optout_page", {
            "partner": partner, "channel_label": dict(CHANNELS)[channel], "done": True, "action": False})
