import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pi_contracts.tools import contract_money

_logger = logging.getLogger(__name__)

# States an investor sees in the portal: drafts and cancelled contracts are the office's.
PORTAL_STATES = ("active", "matured", "settled", "renewed")
OPEN_STATES = ("active", "matured")


class PiInvestmentContract(models.Model):
    _name = "pi.investment.contract"
    _inherit = ["pi.investment.contract", "portal.mixin"]
    # The investor writes to their consultant from the contract's portal page:
    # reading the contract is enough to post in its chatter.
    _mail_post_access = "read"

    # Internal fields: never readable by a portal user, even over RPC (the
    # others are the investor's own contract terms, shown on the portal page).
    note = fields.Html(groups="base.group_user")
    scan_attachment_ids = fields.Many2many(groups="base.group_user")
    scanned_user_id = fields.Many2one(groups="base.group_user")
    scanned_date = fields.Datetime(groups="base.group_user")
    fee_tier_id = fields.Many2one(groups="base.group_user")

    portal_document_ids = fields.Many2many(
        "ir.attachment", "pi_contract_portal_document_rel", "contract_id", "attachment_id",
        string="Portal Documents", copy=False, readonly=True, groups="base.group_user",
        help="Generated documents (settlement, renewal...) the investor can download from the portal.")
    portal_request_ids = fields.One2many("pi.portal.request", "contract_id", string="Portal Requests")
    portal_request_count = fields.Integer(compute="_compute_portal_request_count")
    partner_has_portal = fields.Boolean(
        string="Investor Has Portal Access", compute="_compute_partner_has_portal")

    # ------------------------------------------------------------------ computes
    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/investments/{contract.id}"

    def _compute_portal_request_count(self):
        groups = self.env["pi.portal.request"]._read_group(
            [("contract_id", "in", self.ids)], ["contract_id"], ["__count"])
        counts = {contract.id: count for contract, count in groups}
        for contract in self:
            contract.portal_request_count = counts.get(contract.id, 0)

    @api.depends("partner_id")
    def _compute_partner_has_portal(self):
        for contract in self:
            users = contract.partner_id.sudo().user_ids
            contract.partner_has_portal = bool(users.filtered(lambda user: user.active))

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") in ("settled", "renewed"):
            self._close_portal_requests(vals["state"])
        return res

    # ------------------------------------------------------------------ actions
    def action_activate(self):
        res = super().action_activate()
        if self.env["ir.config_parameter"].sudo().get_param("pi_portal.auto_invite"):
            self._invite_investors_to_portal()
        return res

    def action_invite_to_portal(self):
        """Button: give the investor portal access now (the stock invitation email).

        Consultants are not contact managers, so the stock wizard runs as
        superuser (in ``_invite_investors_to_portal``), after checking here that
        the user is the contract's consultant or a manager, and there that the
        investor is one PI may invite.
        """
        self.ensure_one()
        self.check_access("write")
        if self.user_id != self.env.user and not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._(
                "Only the consultant of contract %(ref)s or a manager can invite its investor to the portal.",
                ref=self.name))
        if self.state in ("draft", "cancelled"):
            raise UserError(self.env._(
                "Contract %(ref)s is not signed: invite its investor once it is active.", ref=self.name))
        self._invite_investors_to_portal(raise_errors=True)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False,
            "message": self.env._("%(name)s has been invited to the investor portal.",
                                  name=self.partner_id.commercial_partner_id.name),
            "next": {"type": "ir.actions.act_window_close"}}}

    def action_preview_portal(self):
        """Open the contract's portal page, as the investor sees it."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    def action_view_portal_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_portal.pi_portal_request_action")
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    # ------------------------------------------------------------------ portal access
    def _invite_investors_to_portal(self, raise_errors=False):
        """Give the portal to the investors of these contracts who have no login yet.

        Called on activation when the setting asks for it: the first activated
        contract of an investor brings the invitation email. An investor who
        cannot be invited (no email, email already a login) gets a note in the
        contract's chatter instead, so the consultant knows to act.
        """
        done = self.env["res.partner"]
        for contract in self:
            partner = contract.partner_id.commercial_partner_id
            if partner in done:
                continue
            # A PI user's partner goes on to _check_portal_invitee, which says why not.
            users = partner.sudo().with_context(active_test=False).user_ids
            if users.filtered("active") and all(user.share for user in users):
                if raise_errors:
                    raise UserError(self.env._("%(name)s already has access to the portal.", name=partner.name))
                continue
            done |= partner
            try:
                with self.env.cr.savepoint():
                    self._check_portal_invitee(partner)
                    # Superuser for the stock wizard (consultants may not manage
                    # users), on this one partner, checked just above.
                    wizard = self.env["portal.wizard"].sudo().with_context(active_ids=partner.ids).create({})
                    wizard.user_ids.filtered(
                        lambda line, partner=partner: line.partner_id == partner).action_grant_access()
                contract.message_post(body=self.env._(
                    "%(name)s has been invited to the investor portal.", name=partner.name))
            except UserError as error:
                if raise_errors:
                    raise
                _logger.info("Portal invitation of %s skipped: %s", partner.name, error)
                contract.message_post(body=self.env._(
                    "%(name)s could not be invited to the investor portal: %(reason)s",
                    name=partner.name, reason=str(error)))

    def _check_portal_invitee(self, partner):
        """``partner`` may get a portal login: it is not a PI user (active or
        archived) nor a company of the database, whose partners only
        administrators manage.

        :raise UserError: why not, for the contract's chatter or the button
        """
        if partner._pi_is_internal_partner():
            raise UserError(self.env._(
                "%(name)s is a PI user or company, not an investor: it cannot be invited to the investor portal.",
                name=partner.display_name))

    def _get_report_base_filename(self):
        self.ensure_one()
        return self._get_document_filename()

    # ------------------------------------------------------------------ portal values
    def _portal_values(self, on_date=None):
        """``{contract id: {'value', 'profit', 'payout'}}`` for the portal pages.

        An open contract is valued today with ``compute_payout`` (in one batch);
        a closed one shows what it paid out. Runs as superuser on purpose: the
        caller has already checked the investor may see these contracts.
        """
        contracts = self.sudo()
        open_contracts = contracts.filtered(lambda contract: contract.state in OPEN_STATES)
        payouts = open_contracts._compute_payouts(on_date) if open_contracts else {}
        result = {}
        for contract in contracts:
            if contract.id in payouts:
                payout = payouts[contract.id]
                result[contract.id] = {"value": payout["payout"], "profit": payout["investor_profit"],
                                       "payout": payout}
            elif contract.state in ("settled", "renewed") and contract.date_settled:
                result[contract.id] = {
                    "value": contract.settlement_payout, "profit": contract.settlement_investor_profit,
                    "payout": None}
            else:
                result[contract.id] = {"value": contract.principal, "profit": 0, "payout": None}
        return result

    def _portal_chart_series(self, on_date=None):
        """The product's NAV and this contract's value on each NAV date of its life.

        :return: ``(nav_points, value_points)``, each ``[(date, value)]``; the
            value is ``payout`` of the money rule valued on that date.
        """
        self.ensure_one()
        contract = self.sudo()
        today = contract_money.to_date(on_date) if on_date else fields.Date.context_today(self)
        series = self.env["pi.product.performance"].sudo()._get_nav_series([contract.product_id.id]).get(
            contract.product_id.id)
        if not series:
            return [], []
        last_day = min(today, contract.date_settled or contract.date_end or today)
        nav_points = [(day, value) for day, value in zip(series.dates, series.values, strict=True)
                      if contract.date_start <= day <= last_day]
        value_points = []
        for day in [contract.date_start] + [day for day, _value in nav_points if day > contract.date_start]:
            payout = contract_money.payout_with_series(
                round(contract.principal), contract.base_rate, contract.fee_rate, contract.date_start,
                contract.date_end, day, series)
            value_points.append((day, payout["payout"]))
        return nav_points, value_points

    def _portal_get_documents(self):
        """The documents an investor can download: generated PDFs marked for the portal.

        :return: ``ir.attachment`` recordset (sudo), newest first.
        """
        self.ensure_one()
        return self.sudo().portal_document_ids.sorted("create_date", reverse=True)

    def _portal_get_statements(self):
        """What PI sent this investor about the contract: messages addressed to
        them (not internal notes), newest first, as dicts ``{date, subject,
        body, attachments}``.

        A statement model can extend this list: return more dicts of the same
        shape, and put their attachments in ``_portal_get_attachments``.
        """
        self.ensure_one()
        contract = self.sudo()
        partners = contract.partner_id.commercial_partner_id
        partners |= partners.child_ids
        messages = self.env["mail.message"].sudo().search([
            ("model", "=", self._name), ("res_id", "=", contract.id),
            ("message_type", "in", ("email", "comment", "email_outgoing")),
            ("subtype_id.internal", "=", False),
            ("partner_ids", "in", partners.ids),
        ], order="date desc, id desc", limit=50)
        return [{"date": message.date, "subject": message.subject or message.record_name,
                 "body": message.body, "attachments": message.attachment_ids, "message": message}
                for message in messages]

    def _portal_get_statement_lines(self, limit=None):
        """The lines of this contract on the statements PI sent its investor,
        newest period first (``pi.investment.statement.line``, sudo).

        Superuser on purpose: the caller has checked the visitor owns the
        contract; the domain keeps to the investor's own sent statements.
        """
        self.ensure_one()
        contract = self.sudo()
        domain = [("contract_id", "=", contract.id)] + [
            (f"statement_id.{name}", operator, value)
            for name, operator, value in self.env["pi.investment.statement"]._portal_domain(contract.partner_id)]
        # Ordered as the statements are (date_to desc, id desc).
        return self.env["pi.investment.statement.line"].sudo().search(domain, order="statement_id, id", limit=limit)

    def _portal_get_attachments(self):
        """Every attachment the investor may download from this contract's page."""
        self.ensure_one()
        attachments = self._portal_get_documents()
        for statement in self._portal_get_statements():
            attachments |= statement["attachments"]
        return attachments

    def _attach_document(self, template):
        attachment = super()._attach_document(template)
        self.sudo().portal_document_ids = [(4, attachment.id)]
        return attachment

    def _close_portal_requests(self, state):
        """A settled or renewed contract answers the investor's open requests."""
        requests = self.env["pi.portal.request"].sudo().search([
            ("contract_id", "in", self.ids), ("state", "=", "new"), ("kind", "in", ("settle", "renew"))])
        if state == "settled":
            reason = self.env._("The contract has been settled.")
        else:
            reason = self.env._("The contract has been renewed.")
        requests._mark_done(reason)
