from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.pi_crm.tests.permission_matrix import N, P, PermissionMatrixMixin, Y

from .common import PiContractsCommon

# Who may do what on the models pi_contracts adds: one row per operation on a
# model, one column per role (pi_crm/tests/permission_matrix.py explains the operations).
# The records: Lan's active contract (Lan is "consultant", Minh "other
# consultant"), Lan's draft (@draft); "investor" is Hùng's portal login. What
# an investor reads of their contracts is pi_portal's rule: P, tested there.
#
ROLES = ("consultant", "other consultant", "manager", "admin", "investor", "public")
#   model                            operation                          cons  other  mgr  admin  inv  pub
MATRIX = [
    ("pi.investment.contract",        "read",                            Y,    N,     Y,   Y,     P,   N),
    ("pi.investment.contract",        "call:compute_payout",             Y,    N,     Y,   Y,     P,   N),
    ("pi.investment.contract",        "create",                          Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "write",                           Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "write:state",                     N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "write:terms",                     N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "write:rates",                     N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "write:settlement",                N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "write:renewal links",             N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "write:terms@draft",               Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "write:rates@draft",               N,    N,     N,   Y,     N,   N),
    ("pi.investment.contract",        "unlink",                          N,    N,     N,   N,     N,   N),
    ("pi.investment.contract",        "unlink@draft",                    N,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_activate@draft",      Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_cancel@draft",        Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_cancel",              N,    N,     N,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_reset_draft@cancelled_draft", Y, N,  Y,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_reset_draft@cancelled_active", N, N, N,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_open_settle_wizard",  Y,    N,     Y,   Y,     N,   N),
    ("pi.investment.contract",        "call:action_open_renew_wizard",   Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.settle",            "create",                          Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.settle",            "call:action_confirm",             Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.renew",             "create",                          Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.renew",             "call:action_confirm",             Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.export",            "call:action_export",              Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.expiry.notice",     "read",                            Y,    N,     Y,   Y,     N,   N),
    ("pi.contract.expiry.notice",     "create",                          N,    N,     N,   N,     N,   N),
    ("pi.contract.expiry.notice",     "write",                           N,    N,     N,   N,     N,   N),
    ("pi.contract.expiry.notice",     "unlink",                          N,    N,     N,   N,     N,   N),
    ("pi.financial.policy",           "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.financial.policy",           "write",                           N,    N,     N,   Y,     N,   N),
    ("pi.financial.policy",           "create",                          N,    N,     N,   N,     N,   N),
    ("pi.financial.policy",           "unlink",                          N,    N,     N,   N,     N,   N),
    ("pi.contract.expiry.threshold",  "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.contract.expiry.threshold",  "create",                          N,    N,     N,   Y,     N,   N),
    ("pi.contract.expiry.threshold",  "write",                           N,    N,     N,   Y,     N,   N),
    ("pi.contract.expiry.threshold",  "unlink",                          N,    N,     N,   Y,     N,   N),
    ("pi.fee.tier",                   "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.fee.tier",                   "create",                          N,    N,     N,   Y,     N,   N),
    ("pi.fee.tier",                   "write",                           N,    N,     N,   Y,     N,   N),
    ("pi.fee.tier",                   "unlink",                          N,    N,     N,   Y,     N,   N),
    ("pi.investment.product",         "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.investment.product",         "create",                          N,    N,     Y,   Y,     N,   N),
    ("pi.investment.product",         "write",                           N,    N,     Y,   Y,     N,   N),
    ("pi.investment.product",         "unlink",                          N,    N,     Y,   Y,     N,   N),
    ("pi.product.performance",        "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.product.performance",        "create",                          N,    N,     Y,   Y,     N,   N),
    ("pi.product.performance",        "write",                           N,    N,     Y,   Y,     N,   N),
    ("pi.product.performance",        "unlink",                          N,    N,     Y,   Y,     N,   N),
    ("pi.contract.stage",             "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.contract.stage",             "create",                          N,    N,     Y,   Y,     N,   N),
    ("pi.contract.stage",             "write",                           N,    N,     Y,   Y,     N,   N),
    ("pi.contract.stage",             "unlink",                          N,    N,     Y,   Y,     N,   N),
    ("pi.contract.document.template", "read",                            Y,    Y,     Y,   Y,     N,   N),
    ("pi.contract.document.template", "create",                          N,    N,     Y,   Y,     N,   N),
    ("pi.contract.document.template", "write",                           N,    N,     Y,   Y,     N,   N),
    ("pi.contract.document.template", "unlink",                          N,    N,     Y,   Y,     N,   N),
    ("pi.statement.run",              "read",                            N,    N,     Y,   Y,     N,   N),
    ("pi.statement.run",              "create",                          N,    N,     Y,   Y,     N,   N),
    ("pi.statement.run",              "write",                           N,    N,     Y,   Y,     N,   N),
    ("pi.statement.run",              "write:run state",                 N,    N,     N,   N,     N,   N),
    ("pi.statement.run",              "write:run period",                N,    N,     N,   N,     N,   N),
    ("pi.statement.run",              "unlink",                          N,    N,     N,   N,     N,   N),
    ("pi.statement.run",              "call:action_send",                N,    N,     Y,   Y,     N,   N),
    ("pi.investment.statement",       "read",                            Y,    N,     Y,   Y,     P,   N),
    ("pi.investment.statement",       "call:action_download_pdf",        Y,    N,     Y,   Y,     P,   N),
    ("pi.investment.statement",       "create",                          N,    N,     N,   N,     N,   N),
    ("pi.investment.statement",       "write",                           N,    N,     N,   N,     N,   N),
    ("pi.investment.statement",       "write:statement figures",         N,    N,     N,   N,     N,   N),
    ("pi.investment.statement",       "unlink",                          N,    N,     N,   N,     N,   N),
    ("pi.investment.statement.line",  "read",                            Y,    N,     Y,   Y,     P,   N),
    ("pi.investment.statement.line",  "create",                          N,    N,     N,   N,     N,   N),
    ("pi.investment.statement.line",  "write",                           N,    N,     N,   N,     N,   N),
    ("pi.investment.statement.line",  "unlink",                          N,    N,     N,   N,     N,   N),
]



@tagged("pi_contracts")
class TestPiContractsPermissionMatrix(PermissionMatrixMixin, PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        investor_user = new_test_user(
            cls.env, login="pc_investor_hung", groups="base.group_portal", partner_id=cls.investor_hung.id,
            name=cls.investor_hung.name, email=cls.investor_hung.email)
        cls.users = dict(zip(ROLES, (cls.consultant_lan, cls.consultant_minh, cls.manager, cls.pi_admin,
                                     investor_user, cls.env.ref("base.public_user")), strict=True))
        cls.contract_lan.action_activate()
        cls.other_contract = cls.contract_minh
        cls.draft_lan = cls.env["pi.investment.contract"].create({
            "partner_id": cls.investor_hung.id, "product_id": cls.product.id, "principal": 200_000_000,
            "date_start": cls.start})
        cls.spare_product = cls.env["pi.investment.product"].create({
            "name": "BCC 3 tháng", "code": "TBCC3", "kind": "bcc", "term_months": 3})
        cls.notice = cls.env["pi.contract.expiry.notice"].create({"contract_id": cls.contract_lan.id,
                                                                  "days_before": 30})
        cls.cancelled_draft, cls.cancelled_active = cls.env["pi.investment.contract"].create([{
            "partner_id": cls.investor_hung.id, "product_id": cls.product.id, "principal": 100_000_000,
            "date_start": cls.start} for _i in range(2)])
        cls.cancelled_active.action_activate()
        (cls.cancelled_draft | cls.cancelled_active).action_cancel()
        cls.threshold = cls.env["pi.contract.expiry.threshold"].create({"days": 15})
        cls.statement_run = cls.env["pi.statement.run"].create({"period": "weekly", "date_to": "2026-11-29"})
        cls.statement_run.action_send()
        cls.statement = cls.statement_run.statement_ids.filtered(
            lambda statement: statement.partner_id == cls.investor_hung)

    def _specs(self):
        today = fields.Date.context_today(self.env["pi.investment.contract"])
        # each role settles in its own time zone (context_today): a day no role sees as still to come
        settle_day = min(today, fields.Date.today())
        return {
            "pi.investment.contract": {
                "record": self.contract_lan, "draft": self.draft_lan, "read": ["principal", "state"],
                "cancelled_draft": self.cancelled_draft, "cancelled_active": self.cancelled_active,
                "create": {"partner_id": self.investor_hung.id, "product_id": self.product.id,
                           "principal": 300_000_000},
                "write": {"note": "<p>Gọi lại</p>", "scanned_original": True}},
            "pi.contract.settle": {
                "create": {"contract_id": self.contract_lan.id, "date_settle": settle_day, "template_id": False}},
            "pi.contract.renew": {
                "create": {"contract_id": self.contract_lan.id, "date_start": self.contract_lan.date_end}},
            "pi.contract.export": {"create": {"contract_ids": self.contract_lan.ids, "date_value": today}},
            "pi.contract.expiry.notice": {
                "record": self.notice, "read": ["days_before"], "write": {"note": "x"},
                "create": {"contract_id": self.contract_lan.id, "days_before": 7}},
            "pi.financial.policy": {"record": self.policy, "read": ["base_rate"], "write": {"base_rate": 6.5},
                                    "create": {}},
            "pi.contract.expiry.threshold": {"record": self.threshold, "read": ["days"], "write": {"days": 16},
                                             "create": {"days": 45}},
            "pi.fee.tier": {"record": self.tier_20, "read": ["rate"], "write": {"rate": 21.0},
                            "create": {"name": "Fee 5%", "rate": 5.0, "min_principal": 5_000_000_000}},
            "pi.investment.product": {
                "record": self.spare_product, "read": ["name", "term_months"], "write": {"name": "BCC 12"},
                "create": {"name": "BCC 24", "code": "TBCC24", "kind": "bcc", "term_months": 24}},
            "pi.product.performance": {
                "record": self.product.performance_ids[:1], "read": ["nav_index"], "write": {"nav_index": 1.01},
                "create": {"product_id": self.product.id, "date": "2025-12-25", "nav_index": 0.99}},
            "pi.contract.stage": {
                "record": self.env["pi.contract.stage"].search([], limit=1), "read": ["name"],
                "write": {"name": "Mới"}, "create": {"name": "Chờ ký"}},
            "pi.statement.run": {
                "record": self.statement_run, "read": ["name", "sent_count"], "write": {"name": "Sao kê tuần 48"},
                "create": {"period": "weekly", "date_to": "2026-11-22"}},
            "pi.investment.statement": {
                "record": self.statement, "read": ["total_value", "state"], "write": {"failure_reason": "x"},
                "create": {"run_id": self.statement_run.id, "partner_id": self.investor_tuan.id}},
            "pi.investment.statement.line": {
                "record": self.statement.line_ids, "read": ["value"], "write": {"value": 1},
                "create": {"statement_id": self.statement.id, "contract_id": self.contract_lan.id}},
            "pi.contract.document.template": {
                "record": self.env.ref("pi_contracts.document_template_settlement"), "read": ["name"],
                "write": {"name": "Biên bản"}, "create": {"name": "Phụ lục", "kind": "renewal"}},
        }

    def _write_values(self):
        return {
            "state": {"state": "cancelled"},
            "terms": {"principal": 700_000_000, "date_start": "2026-02-01", "term_months": 6},
            "rates": {"base_rate": 9.0, "fee_rate": 1.0},
            "settlement": {"date_settled": "2026-06-01", "settlement_payout": 1, "settlement_fee": 0},
            "renewal links": {"renewal_id": self.other_contract.id, "renewed_from_id": self.other_contract.id},
            "run state": {"state": "draft"},
            "run period": {"date_to": "2026-11-22"},
            "statement figures": {"state": "pending", "total_value": 1, "attachment_id": False},
        }

    def test_permission_matrix(self):
        self.run_matrix(ROLES, MATRIX)

    def test_every_pi_contracts_model_has_rows(self):
        self.assert_every_model_has_rows("pi_contracts", MATRIX)
