from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase

from odoo.addons.pi_contracts.tests.common import create_pi_user, ensure_vietnamese


class PiTaskCommon(TransactionCase):
    """PI's team as an org chart (hr.employee.parent_id), built once:

        manager Hà (PI manager) ── sees every task
          ├── consultant Lan (team lead)
          │     └── consultant Minh
          │           └── consultant Tú          task_tu: assigned to Tú by Minh
          └── consultant Bình (another team)     task_binh: assigned to Bình by Hà

    Lan is Tú's superior two levels up; Bình is nobody's superior and sees neither
    Tú's task nor Minh's.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env)
        cls.manager = create_pi_user(cls.env, "manager", "pt_ql_ha", "Phạm Thu Hà", email="ha@pi.example.vn")
        cls.lan = create_pi_user(cls.env, "consultant", "pt_tv_lan", "Nguyễn Thị Lan", email="lan@pi.example.vn")
        cls.minh = create_pi_user(cls.env, "consultant", "pt_tv_minh", "Trần Văn Minh", email="minh@pi.example.vn")
        cls.tu = create_pi_user(cls.env, "consultant", "pt_tv_tu", "Lê Anh Tú", email="tu@pi.example.vn")
        cls.binh = create_pi_user(cls.env, "consultant", "pt_tv_binh", "Đỗ Thanh Bình", email="binh@pi.example.vn")
        Employee = cls.env["hr.employee"]
        cls.employee_ha = Employee.create({"name": "Phạm Thu Hà", "user_id": cls.manager.id})
        cls.employee_lan = Employee.create({"name": "Nguyễn Thị Lan", "user_id": cls.lan.id,
                                            "parent_id": cls.employee_ha.id})
        cls.employee_minh = Employee.create({"name": "Trần Văn Minh", "user_id": cls.minh.id,
                                             "parent_id": cls.employee_lan.id})
        cls.employee_tu = Employee.create({"name": "Lê Anh Tú", "user_id": cls.tu.id,
                                           "parent_id": cls.employee_minh.id})
        cls.employee_binh = Employee.create({"name": "Đỗ Thanh Bình", "user_id": cls.binh.id,
                                             "parent_id": cls.employee_ha.id})
        cls.project = cls.env.ref("pi_bonus.project_pi_tasks")
        cls.customer = cls.env["res.partner"].create({"name": "Lê Văn Hùng", "user_id": cls.tu.id})
        cls.task_tu = cls._create_task(cls.minh, "Gọi lại anh Hùng", cls.tu, hours=48)
        cls.task_binh = cls._create_task(cls.manager, "Báo cáo tuần", cls.binh, hours=72)

    @classmethod
    def _create_task(cls, author, name, assignee, hours=48, **values):
        """A PI task ``author`` creates and gives to ``assignee``, due in ``hours``."""
        return cls.env["project.task"].with_user(author).create({
            "name": name, "project_id": cls.project.id, "user_ids": [(6, 0, assignee.ids)],
            "date_deadline": fields.Datetime.now() + timedelta(hours=hours), **values,
        }).with_user(cls.env.user)
