import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, escape_psql, format_date

from odoo.addons.pi_contracts.models.pi_document_text_mixin import document_text
from odoo.addons.pi_crm.tools import intake_validation

from ..tools import portal_form

_logger = logging.getLogger(__name__)

CONTRACT_KINDS = ("renew", "settle")
UPDATE_KINDS = ("contact_update", "bank_update")
# The only fields staff write by hand: the answer the investor reads and who
# handles the request. Everything else (investor, kind, contract, requested
# values, state) is set by the portal and by the actions, as superuser.
STAFF_WRITABLE_FIELDS = frozenset({"answer", "user_id"})
# The request field each portal form field fills.
FORM_FIELDS = {"phone": "new_phone", "email": "new_email", "street": "new_street", "city": "new_city",
               "bank_name": "new_bank_name", "bank_account": "new_bank_account", "bank_holder": "new_bank_holder",
               "note": "note", "desired_date": "desired_date"}

CONFIRMATION_DATA = "pi_portal/data/mail_template_data.xml"
# SHA-256 of the texts earlier versions of the confirmation email shipped (source
# and Vietnamese): a database still holding one of them gets the current text on
# update, an edited one is left alone. Vietnamese "của Anh/Chị"; then code
# (conditions, function calls) that PI's managers could not keep when editing.
CONFIRMATION_SHIPPED_BEFORE = {
    "mail_template_portal_request_confirmation": {
        "subject": {"1c99491874443431eff913cdb31a319d66b579c85c2b5b3cfe37e2b1e40716d1"},
        "body_html": {"4d40adcc17b4f98ecce073f222b9bc45f04cb2ad5ef925c56182cc1d68775102",
                      "d66eb18084a0b34eb1cae03caeb9e525d9d8447d5ce70ca6219acbf33c035234",
                      "63f79138e36c9124b6afa886af5da8d6e2d2b2567bd355c6161d41d64da47120"},
        "email_from": {"0b5ff4c3892e12aa17ed69d9e76fd38a0a984dbd7c8adccaa391fbe9d186aa9c"},
        "lang": {"7907d0f481675d46d850e7d9d4249a7b0a4d2dcb5c39b1657a2cacb7a0d51527"},
    },
}

class PiPortalRequest(models.Model):
    """A request an investor sends from the portal.

    Renewal and settlement requests become a To-Do for the consultant on the
    contract, who answers them with the contract's Renew / Settle wizards (the
    request closes itself when the contract is renewed or settled). Contact and
    bank updates are never written by the investor: staff approve them, and
    only then are the new values copied onto the investor.

    A request is created only by the portal (as superuser, for the investor
    logged in) and is fixed from then on: staff change its state through the
    actions and write by hand only ``STAFF_WRITABLE_FIELDS`` (see ``write``).
    Approval applies the requested values only to the investor who sent them.
    """

    _name = "pi.portal.request"
    _description = "Investor Portal Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "pi.document.text.mixin"]
    _order = "create_date desc, id desc"
    # Besides the doc_* texts, what the confirmation email prints and its settings use.
    _pi_placeholders = ("object.partner_id.pi_salutation", "object.partner_id.id", "object.partner_id.lang",
                        "object.company_id.name", "object.investor_pronoun")

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    kind = fields.Selection(
        [("renew", "Renewal"), ("settle", "Settlement"), ("contact_update", "Contact Update"),
         ("bank_update", "Bank Account Update")],
        required=True, readonly=True, tracking=True)
    state = fields.Selection(
        [("new", "New"), ("done", "Done"), ("refused", "Refused")],
        required=True, default="new", tracking=True, index=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Investor", required=True, index=True, readonly=True)
    contract_id = fields.Many2one("pi.investment.contract", index="btree_not_null",
                                  readonly=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Consultant", index=True, tracking=True,
                              domain="[('share', '=', False)]")
    desired_date = fields.Date(readonly=True)
    note = fields.Text(string="Investor's Note", readonly=True)
    answer = fields.Text(help="Shown to the investor in the portal.")
    date_done = fields.Datetime(string="Closed On", readonly=True, copy=False)
    activity_id = fields.Many2one("mail.activity", string="To-Do", readonly=True, copy=False,
                                  ondelete="set null")
    # Requested values (contact and bank updates)
    new_phone = fields.Char(readonly=True)
    new_email = fields.Char(readonly=True)
    new_street = fields.Char(string="New Address", readonly=True)
    new_city = fields.Char(readonly=True)
    new_bank_name = fields.Char(string="New Bank", readonly=True)
    new_bank_account = fields.Char(string="New Account Number", readonly=True)
    new_bank_holder = fields.Char(string="New Account Holder", readonly=True)
    investor_pronoun = fields.Char(
        compute="_compute_investor_pronoun", search="_search_document_text",
        help="How the investor's emails say \"you\" in Vietnamese (Anh, Chị, Quý khách), after the salutation.")
    # Texts for the confirmation email, in the investor's language
    doc_request_title = document_text(
        "Request (email)", 'e.g. "Renewal of contract HD/2026/00001 on 31/12/2026" or "Contact Update".')
    doc_desired_date = document_text("Desired Date (email)")
    doc_note = document_text("Investor's Note (email)", "Empty when the investor wrote none.")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.pi_salutation")
    def _compute_investor_pronoun(self):
        for portal_request in self:
            portal_request.investor_pronoun = portal_form.pronoun(portal_request.partner_id.pi_salutation)

    @api.depends("kind", "contract_id.name", "desired_date", "note")
    @api.depends_context("lang")
    def _compute_document_texts(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for portal_request in self:
            kind = kinds.get(portal_request.kind, "")
            date = format_date(self.env, portal_request.desired_date) if portal_request.desired_date else ""
            contract = portal_request.contract_id.name
            if contract and date:
                title = self.env._("%(kind)s of contract %(contract)s on %(date)s", kind=kind, contract=contract,
                                   date=date)
            elif contract:
                title = self.env._("%(kind)s of contract %(contract)s", kind=kind, contract=contract)
            else:
                title = kind
            portal_request.doc_request_title = title
            portal_request.doc_desired_date = date
            portal_request.doc_note = portal_request.note or ""

    # ------------------------------------------------------------------ constraints
    @api.constrains("kind", "contract_id")
    def _check_contract(self):
        for portal_request in self:
            if portal_request.kind in CONTRACT_KINDS and not portal_request.contract_id:
                raise ValidationError(self.env._("A renewal or settlement request needs a contract."))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # Only ``_portal_create`` makes requests (as superuser, for the investor
        # logged in): a request made by hand, or over RPC, would let its author
        # choose whose details an approval changes.
        if not self.env.su:
            raise AccessError(self.env._("Portal requests are sent by investors from the portal; "
                                         "they cannot be created by hand."))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("pi.portal.request") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_staff_write(vals)
        return super().write(vals)

    def _check_staff_write(self, vals):
        """Refuse a write by a user (not the actions, which run as superuser) of
        anything but ``STAFF_WRITABLE_FIELDS`` and the chatter's own fields."""
        mail_fields = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        locked = set(vals) - STAFF_WRITABLE_FIELDS - mail_fields
        if locked:
            raise AccessError(self.env._(
                "The investor, the kind, the contract and the requested values of a portal request are fixed "
                "when the investor sends it, and its status changes only through its buttons "
                "(fields: %(fields)s).",
                fields=", ".join(sorted(self._fields[name]._description_string(self.env) if name in self._fields
                                        else name for name in locked))))

    # ------------------------------------------------------------------ business: from the portal
    @api.model
    def _portal_create(self, partner, kind, contract=None, **values):
        """Create a request of the investor logged in from the portal, as superuser.

        ``partner`` is the logged-in user's partner; the caller (the portal
        controller) has checked that ``contract`` belongs to them and passes
        only the fields of the form (``portal_form.pick``). Validates first
        (nothing is written on a bad input), then creates the request, the
        consultant's To-Do and the investor's confirmation email.

        :raise UserError: with a message for the investor
        """
        vals = self._portal_validate(partner, kind, contract, values)
        # Superuser: investors have no right to create requests (read-only
        # ACL), they send them through this method. The request keeps the
        # investor as its author (create_uid), which approval checks.
        portal_request = self.sudo().create(vals)
        portal_request._schedule_todo()
        portal_request._send_confirmation()
        return portal_request

    @api.model
    def _portal_validate(self, partner, kind, contract, values):
        partner = partner.commercial_partner_id
        self._check_portal_author(partner)
        values = self._portal_clean_values(kind, values)
        vals = {"partner_id": partner.id, "kind": kind, "note": values.get("note", ""),
                "company_id": (contract.company_id if contract else self.env.company).id}
        if kind in CONTRACT_KINDS:
            if not contract or contract.partner_id.commercial_partner_id != partner:
                raise UserError(self.env._("This contract cannot be found."))
            if contract.state not in ("active", "matured") or contract.renewal_id:
                raise UserError(self.env._("Contract %(ref)s is closed: it can no longer be renewed or settled.",
                                  ref=contract.name))
            if self.sudo().search_count([("contract_id", "=", contract.id), ("state", "=", "new"),
                                         ("kind", "in", CONTRACT_KINDS)]):
                raise UserError(self.env._(
                    "A request for contract %(ref)s is already being handled by your consultant.", ref=contract.name))
            desired = values.get("desired_date")
            if not desired:
                raise UserError(self.env._("Choose the date you would like."))
            try:
                desired = fields.Date.to_date(desired)
            except ValueError as error:
                raise UserError(self.env._("The date is not valid.")) from error
            if desired < fields.Date.context_today(self):
                raise UserError(self.env._("The date you would like cannot be in the past."))
            vals.update({"contract_id": contract.id, "desired_date": desired,
                         "user_id": (contract.user_id or partner.user_id).id})
        elif kind == "contact_update":
            phone, email = values.get("phone", ""), values.get("email", "")
            street, city = values.get("street", ""), values.get("city", "")
            if phone:
                # E.164, or the translated "not a valid number"
                phone = self.env["res.partner"]._pi_normalize_phone(phone)
            if email:
                # The shape check of the intake API (stock email_normalize alone
                # turns "hanh.do@@example" into "@example").
                email = email_normalize(intake_validation.normalize_email(email) or "")
                if not email:
                    raise UserError(self.env._("The email address is not valid."))
            if not (phone or email or street or city):
                raise UserError(self.env._("Fill in at least one new value."))
            vals.update({"new_phone": phone, "new_email": email, "new_street": street, "new_city": city,
                         "user_id": partner.user_id.id})
        elif kind == "bank_update":
            bank = values.get("bank_name", "")
            account = "".join(values.get("bank_account", "").split())
            holder = values.get("bank_holder", "") or partner.name
            if not bank or not account:
                raise UserError(self.env._("Fill in the bank and the account number."))
            if not account.isdigit() or not 6 <= len(account) <= 20:
                raise UserError(self.env._("The account number must have 6 to 20 digits."))
            vals.update({"new_bank_name": bank, "new_bank_account": account, "new_bank_holder": holder[:128],
                         "user_id": partner.user_id.id})
        else:
            raise UserError(self.env._("Unknown request."))
        return vals

    @api.model
    def _check_portal_author(self, partner):
        """Only an investor sends requests, and only about themself: the user
        logged in is a portal user of ``partner`` (commercial partner), and no
        PI user or company is behind ``partner``."""
        user = self.env.user
        if not user._is_portal() or user.partner_id.commercial_partner_id != partner:
            raise UserError(self.env._("Only the investor can send this request, from the investor portal."))
        if partner._pi_is_internal_partner():
            raise UserError(self.env._("Your details are managed by PI: please contact your consultant."))

    @api.model
    def _portal_clean_values(self, kind, values):
        """The fields of the ``kind`` form, cleaned: ``{name: str}``, every field present.

        :raise UserError: when a value is longer than its field allows
        """
        limits = portal_form.REQUEST_FORMS.get(kind, {})
        try:
            return {name: portal_form.clean_text(values.get(name), name, max_length)
                    for name, max_length in limits.items()}
        except portal_form.ValueTooLong as error:
            field = self._fields[FORM_FIELDS[error.field]]
            raise UserError(self.env._("%(field)s is too long: at most %(count)s characters.",
                                       field=field._description_string(self.env), count=error.max_length)) from error

    def _schedule_todo(self):
        """A To-Do for the consultant: on the contract (renewal, settlement, where the
        wizards are) or on the request itself (updates to approve)."""
        for portal_request in self.sudo():
            user = portal_request.user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
            partner = portal_request.partner_id
            who = partner.pi_salutation or partner.name
            if portal_request.kind == "renew":
                summary = self.env._("Renewal requested by %(who)s", who=who)
            elif portal_request.kind == "settle":
                summary = self.env._("Settlement requested by %(who)s", who=who)
            elif portal_request.kind == "contact_update":
                summary = self.env._("Contact update to approve for %(who)s", who=who)
            else:
                summary = self.env._("Bank account update to approve for %(who)s", who=who)
            note = Markup("<p>%s</p>") % self.env._("Request %(ref)s from the investor portal.",
                                                    ref=portal_request.name)
            if portal_request.desired_date:
                note += Markup("<p>%s</p>") % self.env._("Desired date: %(date)s",
                                                date=format_date(self.env, portal_request.desired_date))
            if portal_request.note:
                note += Markup("<p>%s</p>") % portal_request.note
            target = portal_request.contract_id if portal_request.kind in CONTRACT_KINDS else portal_request
            activity = target.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=portal_request.desired_date or fields.Date.today(),
                summary=summary, note=note, user_id=user.id if user else self.env.uid)
            portal_request.activity_id = activity
            if portal_request.kind in CONTRACT_KINDS:
                portal_request.contract_id.message_post(
                    body=Markup(self.env._("Portal request %(link)s from the investor.")) % {
                        "link": portal_request._get_html_link()})

    def _send_confirmation(self):
        template = self.env.ref("pi_portal.mail_template_portal_request_confirmation", raise_if_not_found=False)
        if not template:
            return
        for portal_request in self.sudo():
            if not portal_request.partner_id.email:
                continue
            # Signed by the consultant (else the company).
            author = portal_request.user_id.partner_id.filtered("email") or portal_request.company_id.partner_id
            email_from = author.email_formatted or portal_request.company_id.email_formatted or None
            # Posted as OdooBot: Odoo never emails the user who is posting, and here
            # that would be the investor themself.
            portal_request.with_user(SUPERUSER_ID).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", partner_ids=portal_request.partner_id.ids,
                author_id=author.id, email_from=email_from)

    @api.model
    def _update_confirmation_template(self):
        """The confirmation email's current text where the database still has
        one shipped before (the template is ``noupdate``); runs on each update
        of the module (``data/mail_template_data.xml``)."""
        self.env["ir.model.data"]._pi_update_shipped_values(CONFIRMATION_DATA, CONFIRMATION_SHIPPED_BEFORE)

    # ------------------------------------------------------------------ actions (staff)
    def action_approve(self):
        """Apply a contact or bank update to the investor; close a renewal/settlement request."""
        self._check_staff_action()
        for portal_request in self:
            if portal_request.kind == "bank_update" and not self.env.user.has_group("pi_crm.group_pi_manager"):
                raise AccessError(self.env._("Only a manager can approve a change of bank account."))
            if portal_request.kind in UPDATE_KINDS:
                portal_request._check_investor_update()
        for portal_request in self:
            if portal_request.kind == "contact_update":
                portal_request._apply_contact_update()
            elif portal_request.kind == "bank_update":
                portal_request._apply_bank_update()
            portal_request._mark_done(self.env._("Approved by %(name)s.", name=self.env.user.name))
        return True

    def action_refuse(self):
        self._check_staff_action()
        for portal_request in self:
            # Superuser for the state only (locked to users, see write); the
            # user's right on this request was checked just above.
            portal_request.sudo().write({"state": "refused", "date_done": fields.Datetime.now()})
            portal_request.activity_id.sudo().action_feedback(feedback=self.env._("Refused"))
            portal_request.message_post(body=self.env._("Request refused by %(name)s.", name=self.env.user.name))
        return True

    def action_open_contract(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "pi.investment.contract", "view_mode": "form",
                "res_id": self.contract_id.id}

    def action_renew(self):
        self.ensure_one()
        return self.contract_id.action_open_renew_wizard()

    def action_settle(self):
        self.ensure_one()
        return self.contract_id.action_open_settle_wizard()

    # ------------------------------------------------------------------ helpers
    def _check_open(self):
        if self.state != "new":
            raise UserError(self.env._("Request %(ref)s is already closed.", ref=self.name))

    def _check_staff_action(self):
        """The user may handle these requests (staff, and the record rules: a
        consultant handles the requests assigned to them) and they are open.
        The actions then write as superuser, so this check comes first."""
        self.check_access("write")
        for portal_request in self:
            portal_request._check_open()

    def _check_investor_update(self):
        """The approver may change the details of the investor who asked, and only theirs.

        The request's partner must be the commercial partner of the portal user
        who sent it (``create_uid``), never a PI user's or a company's partner,
        and the approver must have the right to write that partner, checked
        with the approver's own rights.
        """
        self.ensure_one()
        partner = self.partner_id
        author = self.create_uid
        if not author._is_portal() or author.partner_id.commercial_partner_id != partner.commercial_partner_id:
            raise AccessError(self.env._(
                "Request %(ref)s was not sent by %(name)s from the investor portal: it cannot be applied.",
                ref=self.name, name=partner.display_name))
        if partner._pi_is_internal_partner():
            raise AccessError(self.env._(
                "%(name)s is a PI user or company: their details never change through a portal request.",
                name=partner.display_name))
        partner.check_access("write")

    def _apply_contact_update(self):
        """Write the new contact details on the investor, with the approver's
        rights (checked in ``_check_investor_update``)."""
        self.ensure_one()
        vals = {}
        if self.new_phone:
            vals["mobile"] = self.new_phone
        if self.new_email:
            vals["email"] = self.new_email
        if self.new_street:
            vals["street"] = self.new_street
        if self.new_city:
            vals["city"] = self.new_city
        self.partner_id.write(vals)
        self.partner_id.message_post(body=Markup(
            self.env._("Contact details updated from portal request %(link)s.")) % {"link": self._get_html_link()})

    def _apply_bank_update(self):
        """Add (or reactivate) the new bank account of the investor.

        Superuser for the bank models only: a manager has no right on
        ``res.partner.bank``/``res.bank``; ``_check_investor_update`` checked the
        manager may write this investor, and every search and write below is
        bound to that one partner (the bank, a name, is looked up or created).
        """
        self.ensure_one()
        partner = self.partner_id
        Bank = self.env["res.partner.bank"].sudo()
        existing = Bank.with_context(active_test=False).search(
            [("partner_id", "=", partner.id), ("acc_number", "=", self.new_bank_account)], limit=1)
        bank = self.env["res.bank"].sudo().search([("name", "=ilike", escape_psql(self.new_bank_name))], limit=1) or \
            self.env["res.bank"].sudo().create({"name": self.new_bank_name})
        vals = {"bank_id": bank.id, "acc_holder_name": self.new_bank_holder, "active": True}
        if existing:
            existing.write(vals)
        else:
            Bank.create(dict(vals, partner_id=partner.id, acc_number=self.new_bank_account, sequence=1))
        partner.message_post(body=Markup(self.env._("Bank account added from portal request %(link)s.")) % {
            "link": self._get_html_link()})

    def _mark_done(self, reason):
        """Close the requests and their To-Do. Superuser for the state (locked to
        users): callers are the approval, after ``_check_staff_action``, and the
        contract's settlement or renewal, which answers its own requests."""
        for portal_request in self:
            portal_request.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
            if portal_request.activity_id:
                portal_request.activity_id.sudo().action_feedback(feedback=reason)
            portal_request.sudo().message_post(body=reason)
