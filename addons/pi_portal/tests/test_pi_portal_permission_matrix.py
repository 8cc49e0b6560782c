"""Who may do what on the investor portal's records, tried as RPC would (``with_user``).

One row per operation; the next feature adds its rows. Each cell runs in a
savepoint rolled back afterwards, so the cells do not see each other.
"""

import contextlib

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.pi_portal.models.pi_portal_request import STAFF_WRITABLE_FIELDS

from .common import PiPortalCommon

Y, N = True, False
ROLES = ("consultant", "other_consultant", "manager", "admin", "investor", "other_investor", "public")


def _request(case, user, which="contact"):
    return case.requests[which].with_user(user)


def _contract(case, user, which="contract_a"):
    return getattr(case, which).with_user(user)


class NotFound(Exception):
    """A search that finds nothing: the record is refused to the user."""


def _found(records):
    if not records:
        raise NotFound()
    return records


# Rows: (what is tried, how), then allowed? for each of ROLES. The request is investor A's (Hùng),
# assigned to consultant Lan; "other" is consultant Minh and investor B (Tuấn). Staff = Lan, Minh, Hà, An.
#                                                                         cons  other mgr  admin inv  other pub
MATRIX = [
    # ---- pi.portal.request
    ("request: read", lambda c, u: _request(c, u).read(["name", "kind", "new_email", "answer"]),
                                                                            Y,    N,   Y,   Y,   Y,   N,    N),
    ("request: search", lambda c, u: _found(_request(c, u).search([("id", "=", c.requests["contact"].id)])),
                                                                            Y,    N,   Y,   Y,   Y,   N,    N),
    ("request: create", lambda c, u: c.env["pi.portal.request"].with_user(u).create({
        "partner_id": c.investor_a.id, "kind": "contact_update", "new_email": "x@example.vn"}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: copy", lambda c, u: _request(c, u).copy(),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: write answer", lambda c, u: _request(c, u).write({"answer": "Đã nhận"}),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("request: write user_id", lambda c, u: _request(c, u).write({"user_id": c.consultant_lan.id}),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("request: write state", lambda c, u: _request(c, u).write({"state": "done"}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: write partner_id", lambda c, u: _request(c, u).write({"partner_id": c.manager.partner_id.id}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: write kind", lambda c, u: _request(c, u, "bank").write({"kind": "contact_update"}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: write new_email", lambda c, u: _request(c, u).write({"new_email": "x@evil.example"}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: write contract_id", lambda c, u: _request(c, u).write({"contract_id": c.contract_b.id}),
                                                                            N,    N,   N,   N,   N,   N,    N),
    ("request: unlink", lambda c, u: _request(c, u).unlink(),
                                                                            N,    N,   Y,   Y,   N,   N,    N),
    ("request: approve contact update", lambda c, u: _request(c, u).action_approve(),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("request: approve bank update", lambda c, u: _request(c, u, "bank").action_approve(),
                                                                            N,    N,   Y,   Y,   N,   N,    N),
    ("request: mark renewal done", lambda c, u: _request(c, u, "renew").action_approve(),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("request: refuse", lambda c, u: _request(c, u).action_refuse(),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    # ---- pi.investment.contract, as the portal shows it (A's active contract, consultant Lan)
    ("contract: read terms", lambda c, u: _contract(c, u).read(["name", "principal", "base_rate", "date_end"]),
                                                                            Y,    N,   Y,   Y,   Y,   N,    N),
    ("contract: read internal note", lambda c, u: _contract(c, u).read(["note"]),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("contract: read portal documents", lambda c, u: _contract(c, u).read(["portal_document_ids"]),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("contract: read a draft", lambda c, u: _contract(c, u, "draft_a").read(["principal"]),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("contract: write note", lambda c, u: _contract(c, u).write({"note": "<p>x</p>"}),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
    ("contract: payout today", lambda c, u: _contract(c, u).compute_payout(),
                                                                            Y,    N,   Y,   Y,   Y,   N,    N),
    ("contract: post a message", lambda c, u: _contract(c, u).message_post(
        body="Xin chào", message_type="comment", subtype_xmlid="mail.mt_comment"),
                                                                            Y,    N,   Y,   Y,   Y,   N,    N),
    ("contract: invite investor to portal", lambda c, u: _contract(c, u, "contract_c").action_invite_to_portal(),
                                                                            Y,    N,   Y,   Y,   N,   N,    N),
]


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestPortalPermissionMatrix(PiPortalCommon):

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
        cls.users = {
            "consultant": cls.consultant_lan, "other_consultant": cls.consultant_minh, "manager": cls.manager,
            "admin": cls.pi_admin, "investor": cls.user_a, "other_investor": cls.user_b,
            "public": cls.env.ref("base.public_user"),
        }

    def _allowed(self, operation, user):
        """Whether ``operation`` succeeds as ``user``; whatever it did is rolled back."""
        with contextlib.closing(self.env.cr.savepoint()):
            try:
                operation(self, user)
                self.env.flush_all()
            except (AccessError, UserError, NotFound):
                return False
            return True

    def test_matrix(self):
        self.assertEqual({len(row) for row in MATRIX}, {2 + len(ROLES)}, "one cell per role in every row")
        for what, operation, *expected in MATRIX:
            for role, allowed in zip(ROLES, expected, strict=True):
                with self.subTest(what=what, role=role):
                    self.assertEqual(self._allowed(operation, self.users[role]), allowed,
                                     f"{what} as {role}: expected {'allowed' if allowed else 'refused'}")

    def test_every_request_field_is_classified(self):
        """A new field of the request is locked to staff unless it is added to the writable ones on purpose."""
        Request = self.env["pi.portal.request"].with_user(self.manager)
        mail_fields = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        own_fields = {name for name, field in Request._fields.items()
                      if field.store and not field.compute and name not in mail_fields}
        for name in sorted(own_fields - STAFF_WRITABLE_FIELDS):
            with self.subTest(field=name), self.assertRaises(AccessError):
                Request.browse(self.requests["contact"].id)._check_staff_write({name: False})
