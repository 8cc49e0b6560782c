from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.pi_contracts.tests.common import PiContractsCommon
from odoo.addons.pi_crm.tests.permission_matrix import N, PermissionMatrixMixin, Y

# Who may do what on the models pi_bonus adds: one row per operation on a model,
# one column per role (pi_crm/tests/permission_matrix.py explains the operations).
# Bonus rules are the firm's pay policy: managers read them, only a full-rights
# admin sets them. "investor" is Hùng's portal login.
ROLES = ("consultant", "other consultant", "manager", "admin", "investor", "public")
#
#   model            operation   cons  other  mgr  admin  inv  pub
MATRIX = [
    ("pi.bonus.rule", "read",     N,    N,     Y,   Y,     N,   N),
    ("pi.bonus.rule", "create",   N,    N,     N,   Y,     N,   N),
    ("pi.bonus.rule", "write",    N,    N,     N,   Y,     N,   N),
    # a rule bonuses were computed from is archived, never deleted (the lines keep it)
    ("pi.bonus.rule", "unlink",   N,    N,     N,   N,     N,   N),
    ("pi.bonus.rule", "unlink@unused", N, N,   N,   Y,     N,   N),
    # PI tasks (project.task in the PI work project): "task" is given to the consultant by
    # the manager; the other consultant is outside their hierarchy. Who gave a task is the
    # managers' to change; "done" is only through the wizard, for everyone (even admins).
    ("project.task",  "read",     Y,    N,     Y,   Y,     N,   N),
    ("project.task",  "search",   Y,    N,     Y,   Y,     N,   N),
    ("project.task",  "create",   Y,    Y,     Y,   Y,     N,   N),
    ("project.task",  "write",    Y,    N,     Y,   Y,     N,   N),
    ("project.task",  "write:pi_assigner_id", N, N, Y, Y,   N,   N),
    ("project.task",  "write:done", N,  N,     N,   N,     N,   N),
    ("project.task",  "call:action_pi_mark_done", Y, N, Y, Y, N, N),
    # the superiors: consultant → manager → admin; the admin has none above
    ("project.task",  "call:action_pi_request_support", Y, N, Y, N, N, N),
    ("project.project", "read",   Y,    Y,     Y,   Y,     N,   N),
    ("project.project", "write",  N,    N,     Y,   Y,     N,   N),
    ("crm.lead",      "call:action_pi_request_support", Y, N, Y, N, N, N),
    ("pi.investment.contract", "call:action_pi_request_support", Y, N, Y, N, N, N),
    # Bonus lines are made and changed by the contract's actions only, never by hand (the line is
    # the consultant's, made at activation of contract_lan); a full-rights admin corrects an amount
    # through the wizard, with a reason. Statements: the consultant's own, confirmed by a manager.
    ("pi.bonus.line", "read",     Y,    N,     Y,   Y,     N,   N),
    ("pi.bonus.line", "search",   Y,    N,     Y,   Y,     N,   N),
    ("pi.bonus.line", "create",   N,    N,     N,   N,     N,   N),
    ("pi.bonus.line", "write",    N,    N,     N,   N,     N,   N),
    ("pi.bonus.line", "write:state", N, N,     N,   N,     N,   N),
    ("pi.bonus.line", "unlink",   N,    N,     N,   N,     N,   N),
    ("pi.bonus.line", "call:action_open_correct_wizard", N, N, N, Y, N, N),
    ("pi.bonus.line.correct", "create", N, N,  N,   Y,     N,   N),
    ("pi.bonus.line.correct", "call:action_confirm", N, N, N, Y, N, N),
    ("pi.investment.contract", "read:pi_bonus_line_ids", Y, N, Y, Y, N, N),
    ("pi.bonus.statement", "read", Y,   N,     Y,   Y,     N,   N),
    ("pi.bonus.statement", "search", Y, N,     Y,   Y,     N,   N),
    ("pi.bonus.statement", "create", N, N,     N,   N,     N,   N),
    ("pi.bonus.statement", "write", N,  N,     N,   N,     N,   N),
    ("pi.bonus.statement", "unlink", N, N,     N,   N,     N,   N),
    ("pi.bonus.statement", "call:action_confirm", N, N, Y, Y, N, N),
    ("pi.bonus.statement", "call:action_refresh", Y, N, Y, Y, N, N),
    ("pi.bonus.statement.generate", "create", N, N, Y, Y, N, N),
    ("pi.bonus.statement.generate", "call:action_generate", N, N, Y, Y, N, N),
    ("pi.task.done",  "create",   Y,    N,     Y,   Y,     N,   N),
    ("pi.task.done",  "call:action_confirm", Y, N, Y, Y,   N,   N),
    # KPIs: "record" is the consultant's own row (her target month); targets are the managers' to set;
    # the sales summary (SQL over every consultant) is for managers only
    ("pi.kpi.report", "read",     Y,    N,     Y,   Y,     N,   N),
    ("pi.kpi.report", "search",   Y,    N,     Y,   Y,     N,   N),
    ("pi.kpi.target", "read",     Y,    N,     Y,   Y,     N,   N),
    ("pi.kpi.target", "create",   N,    N,     Y,   Y,     N,   N),
    ("pi.kpi.target", "write",    N,    N,     Y,   Y,     N,   N),
    ("pi.kpi.target", "unlink",   N,    N,     Y,   Y,     N,   N),
    ("pi.sales.summary", "create", N,   N,     Y,   Y,     N,   N),
    ("pi.sales.summary", "call:action_export", N, N, Y, Y, N,   N),
]


@tagged("pi_bonus")
class TestPiBonusPermissionMatrix(PermissionMatrixMixin, PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        investor_user = new_test_user(cls.env, login="pb_investor_hung", groups="base.group_portal",
                                      partner_id=cls.investor_hung.id, name=cls.investor_hung.name)
        cls.users = dict(zip(ROLES, (cls.consultant_lan, cls.consultant_minh, cls.manager, cls.pi_admin,
                                     investor_user, cls.env.ref("base.public_user")), strict=True))
        Employee = cls.env["hr.employee"]
        admin_employee = Employee.create({"name": cls.pi_admin.name, "user_id": cls.pi_admin.id})
        manager_employee = Employee.create({"name": cls.manager.name, "user_id": cls.manager.id,
                                            "parent_id": admin_employee.id})
        Employee.create({"name": cls.consultant_lan.name, "user_id": cls.consultant_lan.id,
                         "parent_id": manager_employee.id})
        Employee.create({"name": cls.consultant_minh.name, "user_id": cls.consultant_minh.id})
        cls.task = cls.env["project.task"].with_user(cls.manager).create({
            "name": "Gọi chúc mừng sinh nhật anh Hùng", "project_id": cls.env.ref("pi_bonus.project_pi_tasks").id,
            "user_ids": [(6, 0, cls.consultant_lan.ids)]}).with_user(cls.env.user)
        cls.lead = cls.env["crm.lead"].create({"name": "Anh Khoa", "user_id": cls.consultant_lan.id})
        cls.contract_lan.action_activate()
        cls.unused_rule = cls.env["pi.bonus.rule"].create({"name": "Chưa dùng", "rate": 2.0, "min_principal": 9e10})
        cls.bonus_line = cls.env["pi.bonus.line"].sudo().search([("contract_id", "=", cls.contract_lan.id)])
        cls.bonus_statement = cls.env["pi.bonus.statement"]._pi_generate(fields.Date.today())[0].filtered(
            lambda statement: statement.user_id == cls.consultant_lan)
        cls.kpi_target = cls.env["pi.kpi.target"].create({
            "user_id": cls.consultant_lan.id, "month": "2026-03-01", "target_principal": 1_000_000_000})

    def _specs(self):
        return {
            "pi.bonus.rule": {
                "record": self.env.ref("pi_bonus.pi_bonus_rule_standard"), "read": ["rate", "min_principal"],
                "unused": self.unused_rule,
                "write": {"rate": 0.8}, "create": {"name": "Hợp đồng lớn", "rate": 1.0, "min_principal": 5e9}},
            "project.task": {
                "record": self.task, "read": ["name", "pi_assigner_id", "pi_partner_ids", "pi_progress"],
                "write": {"pi_progress": 40},
                "create": {"name": "Việc tự ghi", "project_id": self.env.ref("pi_bonus.project_pi_tasks").id}},
            "project.project": {"record": self.env.ref("pi_bonus.project_pi_tasks"), "read": ["name"],
                                "write": {"description": "Công việc hằng ngày"}},
            "crm.lead": {"record": self.lead},
            "pi.investment.contract": {"record": self.contract_lan},
            "pi.bonus.line": {
                "record": self.bonus_line, "read": ["amount", "state", "rate", "date_provisional"],
                "write": {"amount": 99_000_000},
                "create": {"contract_id": self.contract_minh.id, "user_id": self.consultant_lan.id}},
            "pi.bonus.line.correct": {"create": {"line_id": self.bonus_line.id, "amount": 3_000_000,
                                                 "reason": "Thưởng bổ sung"}},
            "pi.bonus.statement": {
                "record": self.bonus_statement, "read": ["amount_provisional", "amount_official", "state"],
                "write": {"amount_official": 1},
                "create": {"user_id": self.consultant_lan.id, "date_month": "2026-01-01"}},
            "pi.bonus.statement.generate": {"create": {"date_month": fields.Date.today()}},
            "pi.task.done": {"create": {"task_id": self.task.id, "comment": "Đã gọi, anh Hùng cảm ơn."}},
            "pi.kpi.report": {
                "record": self.env["pi.kpi.report"].search([("user_id", "=", self.consultant_lan.id),
                                                            ("date", "=", "2026-03-01")], limit=1),
                "read": ["lead_count", "principal", "target_principal"]},
            "pi.kpi.target": {
                "record": self.kpi_target, "read": ["target_principal"], "write": {"target_principal": 2e9},
                "create": {"user_id": self.consultant_lan.id, "month": "2026-04-01", "target_lead_count": 10}},
            "pi.sales.summary": {"create": {"date_from": "2026-03-01", "date_to": "2026-03-31"}},
        }

    def _write_values(self):
        return {"pi_assigner_id": self.consultant_lan.id, "done": {"state": "1_done"}, "state": "official"}

    def test_permission_matrix(self):
        self.run_matrix(ROLES, MATRIX)

    def test_every_pi_bonus_model_has_rows(self):
        self.assert_every_model_has_rows("pi_bonus", MATRIX, also=(
            "project.task", "project.project", "crm.lead", "pi.investment.contract"))
