"""Who may do what on the investor portal's records, tried as RPC would (``with_user``).

One row per operation on a model, one column per role (pi_crm/tests/permission_matrix.py
explains the operations); the next feature adds its rows. Each cell runs in a savepoint
rolled back afterwards, so the cells do not see each other.
"""

import datetime

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from odoo.addons.pi_crm.tests.permission_matrix import N, P, PermissionMatrixMixin, Y
from odoo.addons.pi_portal.models.pi_portal_request import STAFF_WRITABLE_FIELDS

from .common import PiPortalCommon

ROLES = ("consultant", "other_consultant", "manager", "admin", "investor", "other_investor", "public")

# The request is investor A's (Hùng), assigned to consultant Lan (@bank, @renew: his bank
# update and renewal requests); the contract is A's active one, consultant Lan (@draft: A's
# draft, @contract_c: another active contract of Lan's, investor not invited yet). "other" is
# consultant Minh and investor B (Tuấn). Staff = Lan, Minh, Hà, An.
MATRIX = [
    # model                   operation                           cons other mgr admin inv other pub
    ("pi.portal.request",     "read",                              Y,   N,    Y,  Y,    Y,  N,    N),
    ("pi.portal.request",     "search",                            Y,   N,    Y,  Y,    Y,  N,    N),
    ("pi.portal.request",     "create",                            N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "call:copy",                         N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "write:answer",                      Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "write:user_id",                     Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "write:state",                       N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "write:partner_id",                  N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "write:kind@bank",                   N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "write:new_email",                   N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "write:contract_id",                 N,   N,    N,  N,    N,  N,    N),
    ("pi.portal.request",     "unlink",                            N,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "call:action_approve",               Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "call:action_approve@bank",          N,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "call:action_approve@renew",         Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.portal.request",     "call:action_refuse",                Y,   N,    Y,  Y,    N,  N,    N),
    # pi.investment.contract as the portal shows it
    ("pi.investment.contract", "read",                             Y,   N,    Y,  Y,    Y,  N,    N),
    ("pi.investment.contract", "read:note",                        Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.investment.contract", "read:portal_document_ids",         Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.investment.contract", "read:principal@draft",             Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.investment.contract", "write:note",                       Y,   N,    Y,  Y,    N,  N,    N),
    ("pi.investment.contract", "call:compute_payout",              Y,   N,    Y,  Y,    Y,  N,    N),
    ("pi.investment.contract", "call:message_post",                Y,   N,    Y,  Y,    Y,  N,    N),
    ("pi.investment.contract", "call:action_invite_to_portal@contract_c", Y, N, Y,  Y,    N,  N,    N),
    # statements as the portal shows them (@pending: A's statement not sent yet); staff: pi_contracts' matrix
    ("pi.investment.statement", "read",                            P,   P,    P,  P,    Y,  N,    N),
    ("pi.investment.statement", "search",                          P,   P,    P,  P,    Y,  N,    N),
    ("pi.investment.statement", "read@pending",                    P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement", "read:failure_reason",             P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement", "create",                          P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement", "write:state",                     P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement", "unlink",                          P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement.line", "read",                       P,   P,    P,  P,    Y,  N,    N),
    ("pi.investment.statement.line", "search",                     P,   P,    P,  P,    Y,  N,    N),
    ("pi.investment.statement.line", "read@pending",               P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement.line", "create",                     P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement.line", "write:value",                P,   P,    P,  P,    N,  N,    N),
    ("pi.investment.statement.line", "unlink",                     P,   P,    P,  P,    N,  N,    N),
]


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalPermissionMatrix(PermissionMatrixMixin, PiPortalCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.requests = {
            "contact": cls.portal_create(cls.user_a, "contact_update", email="hung.moi@example.vn"),
            "bank": cls.portal_create(cls.user_a, "bank_update", bank_name="Vietcombank",
                                      bank_account="0071000123456"),
            "renew": cls.portal_create(cls.user_a, "renew", cls.contract_a, desired_date="2026-12-31"),
        }
        investor_c = cls.env["res.partner"].create({
            "name": "Đặng Thu Hương", "pi_gender": "female", "email": "pp_huong@example.vn",
            "user_id": cls.consultant_lan.id})
        cls.contract_c = cls.env["pi.investment.contract"].create({
            "partner_id": investor_c.id, "product_id": cls.product.id, "user_id": cls.consultant_lan.id,
            "principal": 500_000_000, "date_start": cls.start})
        cls.contract_c.action_activate()
        cls.statement = cls.new_statement(cls.investor_a, cls.contract_a, datetime.date(2026, 11, 15))
        cls.pending_statement = cls.new_statement(cls.investor_a, cls.contract_a, datetime.date(2026, 11, 8),
                                                  state="pending")
        cls.users = {
            "consultant": cls.consultant_lan, "other_consultant": cls.consultant_minh, "manager": cls.manager,
            "admin": cls.pi_admin, "investor": cls.user_a, "other_investor": cls.user_b,
            "public": cls.env.ref("base.public_user"),
        }

    def _specs(self):
        return {
            "pi.portal.request": {
                "record": self.requests["contact"], "bank": self.requests["bank"], "renew": self.requests["renew"],
                "read": ["name", "kind", "new_email", "answer"],
                "create": {"partner_id": self.investor_a.id, "kind": "contact_update", "new_email": "x@example.vn"}},
            "pi.investment.contract": {
                "record": self.contract_a, "draft": self.draft_a, "contract_c": self.contract_c,
                "read": ["name", "principal", "base_rate", "date_end"],
                "call:message_post": {"body": "Xin chào", "message_type": "comment",
                                      "subtype_xmlid": "mail.mt_comment"}},
            "pi.investment.statement": {
                "record": self.statement, "pending": self.pending_statement,
                "read": ["name", "period", "date_from", "date_to", "partner_id", "attachment_id", "line_ids"],
                "create": {"run_id": self.statement.run_id.id, "partner_id": self.investor_a.id,
                           "name": "Sao kê giả"}},
            "pi.investment.statement.line": {
                "record": self.statement.line_ids, "pending": self.pending_statement.line_ids,
                "read": ["contract_id", "principal", "value", "profit_to_date", "profit_period", "nav_end"],
                "create": {"statement_id": self.statement.id, "contract_id": self.contract_a.id, "value": 1}},
        }

    def _write_values(self):
        return {
            "answer": "Đã nhận", "user_id": self.consultant_lan.id, "state": "done",
            "partner_id": self.manager.partner_id.id, "kind": "contact_update", "new_email": "x@evil.example",
            "contract_id": self.contract_b.id, "note": "<p>x</p>", "value": 1,
        }

    def test_matrix(self):
        self.run_matrix(ROLES, MATRIX)

    def test_every_request_field_is_classified(self):
        """A new field of the request is locked to staff unless it is added to the writable ones on purpose."""
        Request = self.env["pi.portal.request"].with_user(self.manager)
        mail_fields = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        own_fields = {name for name, field in Request._fields.items()
                      if field.store and not field.compute and name not in mail_fields}
        for name in sorted(own_fields - STAFF_WRITABLE_FIELDS):
            with self.subTest(field=name), self.assertRaises(AccessError):
                Request.browse(self.requests["contact"].id)._check_staff_write({name: False})
