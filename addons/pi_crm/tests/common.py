from odoo.tests import TransactionCase, new_test_user

# The groups of each PI role (pi_crm's groups imply the lower ones)
ROLE_GROUPS = {
    "consultant": "base.group_user,pi_crm.group_pi_consultant",
    "manager": "base.group_user,pi_crm.group_pi_manager",
    "admin": "base.group_user,pi_crm.group_pi_admin",
    "investor": "base.group_portal",
}


def ensure_vietnamese(env, modules=("pi_crm",)):
    """Vietnamese active with the terms of ``modules``, whether or not the database
    was installed with ``--load-language vi_VN`` (rolled back with the test)."""
    if env["res.lang"]._get_code("vi_VN"):
        return
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"].search([("name", "in", list(modules))])._update_translations(["vi_VN"])


def pi_user(env, role, login, **values):
    """A user of ``role`` (consultant, manager, admin, investor) whose password is its login.

    An investor is the portal user of a customer: pass ``partner_id`` (their
    partner), else a new partner is made. Other ``values`` go to the user.
    """
    values.setdefault("password", login)
    return new_test_user(env, login=login, groups=ROLE_GROUPS[role], **values)


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
        cls.consultant_lan = pi_user(cls.env, "consultant", "test_tv_lan", name="Nguyễn Thị Lan")
        cls.consultant_minh = pi_user(cls.env, "consultant", "test_tv_minh", name="Trần Văn Minh")
        cls.manager = pi_user(cls.env, "manager", "test_ql_ha", name="Phạm Thu Hà")
        cls.pi_admin = pi_user(cls.env, "admin", "test_qt_an", name="Đỗ Văn An")
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
