from odoo.tests import TransactionCase, new_test_user


class PiCrmCommon(TransactionCase):
    """Two consultants (Lan, Minh), a manager (Hà) and an admin, each with one
    customer and one lead of their own:

        manager Hà ── sees everything
        consultant Lan ── customer Hùng, lead "Lan's lead"
        consultant Minh ── customer Tuấn, lead "Minh's lead"
        nobody ── the company "Sao Mai" (no salesperson), an unassigned lead
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_lan = new_test_user(
            cls.env, login="test_tv_lan", name="Nguyễn Thị Lan", groups="base.group_user,pi_crm.group_pi_consultant"
        )
        cls.consultant_minh = new_test_user(
            cls.env, login="test_tv_minh", name="Trần Văn Minh", groups="base.group_user,pi_crm.group_pi_consultant"
        )
        cls.manager = new_test_user(
            cls.env, login="test_ql_ha", name="Phạm Thu Hà", groups="base.group_user,pi_crm.group_pi_manager"
        )
        cls.pi_admin = new_test_user(
            cls.env, login="test_qt_an", name="Đỗ Văn An", groups="base.group_user,pi_crm.group_pi_admin"
        )
        Partner = cls.env["res.partner"]
        cls.customer_lan = Partner.create(
            {"name": "Lê Văn Hùng", "pi_gender": "male", "mobile": "+84912345678", "user_id": cls.consultant_lan.id}
        )
        cls.customer_minh = Partner.create(
            {"name": "Hoàng Anh Tuấn", "pi_gender": "male", "mobile": "+84988123456", "user_id": cls.consultant_minh.id}
        )
        cls.company_unassigned = Partner.create({"name": "Công ty Sao Mai", "is_company": True})
        Lead = cls.env["crm.lead"]
        cls.lead_lan = Lead.create({"name": "Lan's lead", "user_id": cls.consultant_lan.id})
        cls.lead_minh = Lead.create({"name": "Minh's lead", "user_id": cls.consultant_minh.id})
        cls.lead_unassigned = Lead.create({"name": "Unassigned lead", "user_id": False})
