import logging

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import format_amount, format_date, formatLang

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.pi_investment_contract import OPEN_STATES, PORTAL_STATES
from ..tools import portal_chart, portal_form

_logger = logging.getLogger(__name__)

CONTRACT_REPORT = "pi_contracts.action_report_pi_contract_document"
SESSION_ERROR = "pi_portal_error"
# Ids above PostgreSQL's integer range match no record (and must not reach a query as one).
MAX_RECORD_ID = 2**31 - 1


def _remembered(formatter):
    """``formatter`` that formats each value once (for one page): the text of a value
    already formatted, with the same options, is given again. Values are told apart by
    their type too, so ``1`` and ``1.0`` each get their own formatter's text."""
    texts = {}

    def remembered(value, *args, **kwargs):
        key = (type(value), value, args, tuple(sorted(kwargs.items())))
        if key not in texts:
            texts[key] = formatter(value, *args, **kwargs)
        return texts[key]

    return remembered


class PiInvestorPortal(CustomerPortal):
    """The investor's pages: /my/investments, one contract, their requests.

    Every contract route goes through ``_pi_contract_check_access``: a contract
    the visitor may not see answers 404 exactly like an id that does not exist.
    """

    _investments_per_page = 20
    _statements_per_page = 20

    # ------------------------------------------------------------------ home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "investment_count" in counters:
            Contract = request.env["pi.investment.contract"]
            values["investment_count"] = (
                Contract.search_count(self._pi_investments_domain()) if Contract.has_access("read") else 0)
        if "pi_request_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            values["pi_request_count"] = request.env["pi.portal.request"].sudo().search_count(
                [("partner_id", "=", partner.id)]) if self._pi_is_investor() else 0
        if "pi_statement_count" in counters:
            Statement = request.env["pi.investment.statement"]
            values["pi_statement_count"] = Statement.search_count(
                Statement._portal_domain(request.env.user.partner_id)) if Statement.has_access("read") else 0
        return values

    def _pi_investments_domain(self, partner=None):
        partner = partner or request.env.user.partner_id
        return [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "in", PORTAL_STATES)]

    def _pi_is_investor(self, partner=None):
        partner = partner or request.env.user.partner_id
        return bool(request.env["pi.investment.contract"].sudo().search_count(
            self._pi_investments_domain(partner), limit=1))

    def _pi_format_values(self):
        """Formatters for the templates, in the visitor's language (vi_VN: 1.500.000.000 ₫, 31/12/2026).

        Each remembers what it formatted during this request: the list page shows each
        contract's amounts and dates twice (cards on a phone, a table on a wider screen),
        and each of stock's format calls looks the language up again.
        """
        env = request.env
        vnd = env.ref("base.VND")

        def fmt_vnd(amount):
            return format_amount(env, amount or 0, vnd)

        def fmt_date(value):
            return format_date(env, value) if value else ""

        def fmt_rate(rate):
            rate = rate or 0
            return formatLang(env, rate, digits=0 if rate == int(rate) else 2)

        def fmt_number(value, digits=4):
            return formatLang(env, value or 0, digits=digits)

        return {name: _remembered(formatter) for name, formatter in (
            ("fmt_vnd", fmt_vnd), ("fmt_date", fmt_date), ("fmt_rate", fmt_rate), ("fmt_number", fmt_number))}

    # ------------------------------------------------------------------ list
    def _pi_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_start desc, id desc"},
            "end": {"label": request.env._("End date"), "order": "date_end asc, id asc"},
            "principal": {"label": request.env._("Principal"), "order": "principal desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name asc, id asc"},
        }

    def _pi_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "active": {"label": request.env._("Active"), "domain": [("state", "=", "active")]},
            "matured": {"label": request.env._("Matured"), "domain": [("state", "=", "matured")]},
            "closed": {"label": request.env._("Settled or renewed"),
                       "domain": [("state", "in", ("settled", "renewed"))]},
        }

    @http.route(["/my/investments", "/my/investments/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_investments(self, page=1, sortby=None, filterby=None, **kw):
        Contract = request.env["pi.investment.contract"]
        sortings = self._pi_searchbar_sortings()
        filters = self._pi_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._pi_investments_domain() + filters[filterby]["domain"]
        all_contracts = Contract.search(domain, order=sortings[sortby]["order"])
        pager = portal_pager(url="/my/investments", total=len(all_contracts), page=page,
                             step=self._investments_per_page, url_args={"sortby": sortby, "filterby": filterby})
        contracts = all_contracts[pager["offset"]:pager["offset"] + self._investments_per_page]
        money = all_contracts._portal_values()
        open_contracts = all_contracts.filtered(lambda contract: contract.state in OPEN_STATES)
        values = self._prepare_portal_layout_values()
        values.update(self._pi_format_values())
        values.update({
            "contracts": contracts.sudo(),
            "money": money,
            "total_principal": sum(open_contracts.mapped("principal")),
            "total_value": sum(money[contract.id]["value"] for contract in open_contracts),
            "total_profit": sum(money[contract.id]["profit"] for contract in open_contracts),
            "open_count": len(open_contracts),
            "page_name": "investments",
            "pager": pager,
            "default_url": "/my/investments",
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
            "today": fields.Date.context_today(request.env.user),
            "state_labels": dict(Contract._fields["state"]._description_selection(request.env)),
        })
        request.session["my_investments_history"] = all_contracts.ids[:100]
        return request.render("pi_portal.portal_my_investments", values)

    # ------------------------------------------------------------------ access
    def _pi_contract_check_access(self, contract_id, access_token=None):
        """The contract (sudo) if the visitor owns it or holds its token; 404 otherwise.

        The same 404 for an id that does not exist, a draft, another investor's
        contract or a wrong token: the answer gives no hint that it exists.
        """
        try:
            contract_sudo = self._document_check_access("pi.investment.contract", contract_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if contract_sudo.state not in PORTAL_STATES:
            raise request.not_found()
        return contract_sudo

    # ------------------------------------------------------------------ detail
    @http.route(["/my/investments/<int:contract_id>"], type="http", auth="public", website=True)
    def portal_my_investment(self, contract_id, access_token=None, report_type=None, download=False, **kw):
        contract_sudo = self._pi_contract_check_access(contract_id, access_token)
        if request.env.user._is_public() and not request.cookies.get("frontend_lang"):
            request.update_context(lang=contract_sudo.partner_id.lang or request.env.lang)
        if report_type in ("html", "pdf"):
            return self._pi_show_document(contract_sudo, report_type, download)
        values = self._pi_contract_page_values(contract_sudo, access_token)
        values = self._get_page_view_values(contract_sudo, access_token, values, "my_investments_history", False,
                                            **kw)
        return request.render("pi_portal.portal_my_investment", values)

    def _pi_show_document(self, contract_sudo, report_type, download):
        """The contract document (PDF), printed from the template chosen for the product.

        Printed with the visitor's rights: the investor reads their own contract
        through the portal record rule, and the template renders in stock's
        restricted mode. A visitor who holds only the contract's access token
        cannot read it; their document is printed as superuser, which the
        template allows only for a body of placeholders (no code runs).
        """
        template_sudo = request.env["pi.contract.document.template"].sudo()._get_default(
            "contract", contract_sudo.product_id)
        if not template_sudo:
            raise request.not_found()
        contract = contract_sudo.with_user(request.env.user)
        if not contract.has_access("read"):
            contract = contract_sudo
        contract = contract.with_context(pi_document_template_id=template_sudo.id,
                                         lang=contract_sudo.partner_id.lang or request.env.lang)
        Report = request.env["ir.actions.report"].with_env(contract.env).with_company(contract_sudo.company_id)
        render = Report._render_qweb_pdf if report_type == "pdf" else Report._render_qweb_html
        document = render(CONTRACT_REPORT, contract.ids, data={"report_type": report_type})[0]
        headers = self._get_http_headers(contract_sudo, report_type, document, download)
        if "Content-Disposition" in headers:
            # The file name as printed ("Hợp đồng - HD-2026-00001.pdf"): stock's
            # _get_http_headers replaces spaces and punctuation with "_"; the
            # RFC 6266 header (filename*=UTF-8'') carries any character.
            headers["Content-Disposition"] = content_disposition(f"{contract._get_document_filename()}.pdf")
        return request.make_response(document, headers=list(headers.items()))

    def _pi_contract_page_values(self, contract_sudo, access_token=None):
        today = fields.Date.context_today(contract_sudo)
        money = contract_sudo._portal_values()[contract_sudo.id]
        payout = money["payout"]
        if payout:
            breakdown = contract_sudo._payout_lines(payout)
            days = payout["days"]
        elif contract_sudo.date_settled:
            breakdown = contract_sudo._payout_lines(
                {"principal": contract_sudo.principal, "base_profit": contract_sudo.settlement_base_profit,
                 "gross_profit": contract_sudo.settlement_gross_profit,
                 "excess_profit": contract_sudo.settlement_excess_profit, "fee": contract_sudo.settlement_fee,
                 "investor_profit": contract_sudo.settlement_investor_profit,
                 "payout": contract_sudo.settlement_payout})
            days = contract_sudo.settlement_days
        else:
            breakdown, days = [], 0
        nav_points, value_points = contract_sudo._portal_chart_series()
        nav_chart = portal_chart.series_path(nav_points)
        value_chart = portal_chart.series_path(value_points)
        owner = not request.env.user._is_public() and request.env.user.partner_id.commercial_partner_id == \
            contract_sudo.partner_id.commercial_partner_id
        requests_sudo = request.env["pi.portal.request"].sudo().search([("contract_id", "=", contract_sudo.id)])
        values = self._prepare_portal_layout_values()
        values.update(self._pi_format_values())
        values.update({
            "contract": contract_sudo,
            "money": money,
            "breakdown": breakdown,
            "days": days,
            "days_to_end": (contract_sudo.date_end - today).days if contract_sudo.state in OPEN_STATES else None,
            "nav_chart": nav_chart,
            "nav_change": nav_chart and portal_chart.change_percent(nav_chart["first"][1], nav_chart["last"][1]),
            "value_chart": value_chart,
            "documents": contract_sudo._portal_get_documents(),
            "statements": contract_sudo._portal_get_statements(),
            "statement_lines": contract_sudo._portal_get_statement_lines(limit=10) if owner else [],
            "portal_requests": requests_sudo,
            "can_request": owner and contract_sudo.state in OPEN_STATES and not contract_sudo.renewal_id
            and not requests_sudo.filtered(lambda req: req.state == "new" and req.kind in ("renew", "settle")),
            "is_owner": owner,
            "request_error": request.session.pop(SESSION_ERROR, None),
            "request_sent": request.params.get("request_sent"),
            "today": today,
            "state_label": dict(contract_sudo._fields["state"]._description_selection(request.env))[
                contract_sudo.state],
            "page_name": "investment",
            "access_token": access_token,
            "consultant": contract_sudo.user_id,
            "contract_pdf_url": f"/my/investments/{contract_sudo.id}?report_type=pdf&download=true"
            + (f"&access_token={access_token}" if access_token else ""),
        })
        return values

    @http.route(["/my/investments/<int:contract_id>/attachments/<int:attachment_id>"], type="http",
                auth="public", website=True)
    def portal_my_investment_attachment(self, contract_id, attachment_id, access_token=None, **kw):
        """A document or statement attachment of the contract; 404 for any other attachment id."""
        contract_sudo = self._pi_contract_check_access(contract_id, access_token)
        attachment_sudo = contract_sudo._portal_get_attachments().filtered(lambda att: att.id == attachment_id)
        if not attachment_sudo:
            raise request.not_found()
        return request.env["ir.binary"]._get_stream_from(attachment_sudo).get_response(as_attachment=True)

    # ------------------------------------------------------------------ requests on a contract
    @http.route(["/my/investments/<int:contract_id>/request"], type="http", auth="user", website=True,
                methods=["POST"])
    def portal_my_investment_request(self, contract_id, kind=None, desired_date=None, note=None, **kw):
        """Ask for a renewal or a settlement (form with CSRF token, owner only)."""
        contract_sudo = self._pi_contract_check_access(contract_id)
        if kind not in ("renew", "settle"):
            raise request.not_found()
        values = portal_form.pick({"desired_date": desired_date, "note": note}, kind)
        try:
            request.env["pi.portal.request"]._portal_create(request.env.user.partner_id, kind, contract_sudo,
                                                            **values)
        except UserError as error:
            request.session[SESSION_ERROR] = str(error)
            return request.redirect(f"/my/investments/{contract_sudo.id}#pi_requests")
        return request.redirect(f"/my/investments/{contract_sudo.id}?request_sent={kind}#pi_requests")

    # ------------------------------------------------------------------ contact & bank details
    @http.route(["/my/investor"], type="http", auth="user", website=True)
    def portal_my_investor_details(self, **kw):
        """The investor's details as PI knows them, and the forms to ask for a change."""
        partner = request.env.user.partner_id.commercial_partner_id
        partner_sudo = partner.sudo()
        values = self._prepare_portal_layout_values()
        values.update(self._pi_format_values())
        values.update({
            "partner": partner_sudo,
            "banks": partner_sudo.bank_ids,
            "portal_requests": request.env["pi.portal.request"].sudo().search(
                [("partner_id", "=", partner.id)], limit=30),
            "request_error": request.session.pop(SESSION_ERROR, None),
            "request_sent": kw.get("request_sent"),
            "page_name": "investor_details",
            "mask_account": self._pi_mask_account,
            "consents": request.env["pi.consent"].sudo().search([("partner_id", "=", partner.id)]),
            "consent_withdrawn": kw.get("consent_withdrawn"),
        })
        return request.render("pi_portal.portal_my_investor_details", values)

    @http.route(["/my/investor/consent/<int:consent_id>/withdraw"], type="http", auth="user", website=True,
                methods=["POST"])
    def portal_my_consent_withdraw(self, consent_id, **kw):
        """The investor withdraws one of their own consents (form with CSRF token); 404 for anyone else's."""
        if consent_id > MAX_RECORD_ID:
            raise request.not_found()
        consent = request.env["pi.consent"].sudo().browse(consent_id).exists()
        if not consent:
            raise request.not_found()
        try:
            consent._pi_check_portal_owner(request.env.user)
        except AccessError:
            raise request.not_found() from None
        # Checked above: the consent is the investor's own; withdrawing it is their right.
        consent.action_withdraw(source="portal")
        return request.redirect("/my/investor?consent_withdrawn=1#pi_consents")

    @http.route(["/my/investor/request"], type="http", auth="user", website=True, methods=["POST"])
    def portal_my_investor_request(self, kind=None, **post):
        """Ask for a change of contact or bank details (form with CSRF token).

        Only the fields of the form reach the model: anything else posted
        (``contract``, ``partner``, made-up names, a file) is ignored.
        """
        if kind not in ("contact_update", "bank_update"):
            raise request.not_found()
        values = portal_form.pick(post, kind)
        try:
            request.env["pi.portal.request"]._portal_create(request.env.user.partner_id, kind, **values)
        except UserError as error:
            request.session[SESSION_ERROR] = str(error)
            return request.redirect("/my/investor#pi_update_forms")
        return request.redirect(f"/my/investor?request_sent={kind}#pi_update_forms")

    # ------------------------------------------------------------------ statements
    def _pi_statement_check_access(self, statement_id):
        """The statement (sudo) if it is a sent statement of the visitor's
        commercial partner; 404 otherwise, the same for an id that does not
        exist, another investor's statement or one not sent yet.

        The statement is searched with the visitor's own rights (the portal
        record rule applies as well as the domain); superuser only for the
        record found, to read its lines and PDF.
        """
        Statement = request.env["pi.investment.statement"]
        if not 0 < statement_id <= MAX_RECORD_ID or not Statement.has_access("read"):
            raise request.not_found()
        statement = Statement.search(
            [("id", "=", statement_id)] + Statement._portal_domain(request.env.user.partner_id), limit=1)
        if not statement:
            raise request.not_found()
        return statement.sudo()

    def _pi_statements_page_values(self, page=1):
        """The values of /my/statements: the visitor's sent statements, newest first, and their preferences."""
        Statement = request.env["pi.investment.statement"]
        partner = request.env.user.partner_id.commercial_partner_id
        domain = Statement._portal_domain(partner)
        readable = Statement.has_access("read")
        pager = portal_pager(url="/my/statements", total=Statement.search_count(domain) if readable else 0,
                             page=page, step=self._statements_per_page)
        statements = Statement.search(domain, limit=self._statements_per_page, offset=pager["offset"]) \
            if readable else Statement
        # Superuser to read the lines and contract names of the statements just
        # found with the visitor's rights, and their own two preferences.
        statements_sudo = statements.sudo()
        partner_sudo = partner.sudo()
        values = self._prepare_portal_layout_values()
        values.update(self._pi_format_values())
        values.update({
            "statements": statements_sudo,
            "totals": statements_sudo._portal_totals(),
            "period_labels": dict(Statement._fields["period"]._description_selection(request.env)),
            "page_name": "statements",
            "pager": pager,
            "default_url": "/my/statements",
            "can_set_preferences": self._pi_can_set_statement_preferences(),
            "channel_options": self._pi_statement_channel_options(),
            "frequency_options": self._pi_statement_frequency_options(),
            "statement_channel": partner_sudo.pi_statement_channel,
            "statement_frequency": partner_sudo.pi_statement_frequency,
            "preferences_saved": request.params.get("preferences_saved"),
            "preferences_error": None,
        })
        return values

    @http.route(["/my/statements", "/my/statements/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_statements(self, page=1, **kw):
        return request.render("pi_portal.portal_my_statements", self._pi_statements_page_values(page))

    @http.route(["/my/statements/<int:statement_id>"], type="http", auth="user", website=True)
    def portal_my_statement(self, statement_id, **kw):
        statement_sudo = self._pi_statement_check_access(statement_id)
        values = self._prepare_portal_layout_values()
        values.update(self._pi_format_values())
        values.update({
            "statement": statement_sudo,
            "totals": statement_sudo._portal_totals()[statement_sudo.id],
            "period_label": dict(statement_sudo._fields["period"]._description_selection(request.env))[
                statement_sudo.period],
            "page_name": "statement",
        })
        return request.render("pi_portal.portal_my_statement", values)

    @http.route(["/my/statements/<int:statement_id>/pdf"], type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, statement_id, **kw):
        """The statement's PDF, for its owner only (404 for anybody else and for a statement without one)."""
        statement_sudo = self._pi_statement_check_access(statement_id)
        attachment_sudo = statement_sudo.attachment_id
        if not attachment_sudo:
            raise request.not_found()
        return request.env["ir.binary"]._get_stream_from(
            attachment_sudo, filename=statement_sudo._portal_pdf_filename()).get_response(as_attachment=True)

    def _pi_statement_channel_options(self):
        """``[(value, label)]`` of the channel list, in the investor's words (staff read the field's)."""
        env = request.env
        return [("email", env._("By email")), ("sms", env._("By SMS")), ("both", env._("By email and SMS")),
                ("none", env._("Do not send me statements"))]

    def _pi_statement_frequency_options(self):
        env = request.env
        return [("weekly", env._("Every week")), ("quarterly", env._("Every quarter")), ("none", env._("Never"))]

    def _pi_can_set_statement_preferences(self):
        """Investors choose how they receive their statements; PI's own users and companies do not."""
        partner = request.env.user.partner_id.commercial_partner_id
        return self._pi_is_investor() and not partner._pi_is_internal_partner()

    @http.route(["/my/statements/preferences"], type="http", auth="user", website=True, methods=["POST"])
    def portal_my_statement_preferences(self, channel=None, frequency=None, **kw):
        """How the investor receives their statements (form with CSRF token): the two
        preferences of their commercial partner, nothing else. A value outside
        the lists answers 400 with the page and the reason."""
        if not self._pi_can_set_statement_preferences():
            raise request.not_found()
        partner = request.env.user.partner_id.commercial_partner_id
        try:
            partner._pi_portal_set_statement_preferences(channel, frequency)
        except UserError as error:
            values = self._pi_statements_page_values()
            values["preferences_error"] = str(error)
            return request.render("pi_portal.portal_my_statements", values, status=400)
        return request.redirect("/my/statements?preferences_saved=1#pi_statement_preferences")

    @http.route(["/my/account"], type="http", auth="user", website=True)
    def account(self, redirect=None, **post):
        """Investors never edit their details directly: they ask PI (see /my/investor)."""
        if self._pi_is_investor():
            return request.redirect("/my/investor")
        return super().account(redirect=redirect, **post)

    @staticmethod
    def _pi_mask_account(number):
        number = number or ""
        return ("•" * max(len(number) - 4, 0)) + number[-4:]
