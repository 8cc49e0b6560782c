from datetime import date, datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PiCrmCommon

SAMPLE = 'sample="1"'


def pi_window_actions(env, module="pi_crm"):
    """The window actions an addon ships (its menus, buttons and reports)."""
    data = env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.actions.act_window")])
    return env["ir.actions.act_window"].browse(data.mapped("res_id"))


@tagged("pi_consultation")
class TestPiScreens(PiCrmCommon):
    """Issue 12 points 10 and 13: PI's screens show PI's data in PI's words."""

    def _queue(self, xmlid, user):
        action = self.env.ref(xmlid)
        domain = safe_eval(action.domain or "[]", {"uid": user.id})
        return self.env["crm.lead"].with_user(user).search(domain)

    # ------------------------------------------------------------ point 10: demo data
    def test_queues_hold_no_stock_demo_lead(self):
        stock_demo = self.env["ir.model.data"].search([("module", "=", "crm"), ("model", "=", "crm.lead")])
        if not stock_demo:
            self.skipTest("installed without demo data")
        for xmlid in ("pi_crm.pi_lead_new_action", "pi_crm.pi_lead_never_contacted_action", "pi_crm.pi_lead_action"):
            with self.subTest(queue=xmlid):
                leads = self._queue(xmlid, self.manager)
                self.assertFalse(set(leads.ids) & set(stock_demo.mapped("res_id")))

    def test_pi_channels_come_first_in_source_lists(self):
        pi_sources = [self.env.ref(f"pi_crm.utm_source_{name}") for name in (
            "assigned", "fanpage", "website", "referral", "switchboard", "former_customer")]
        self.env["utm.source"].create({"name": "Search engine 2"})
        self.assertEqual(list(self.env["utm.source"].search([], limit=6)), pi_sources)
        names = [name for _id, name in self.env["utm.source"].name_search("", limit=6)]
        self.assertEqual(names, [source.name for source in pi_sources], "the lead form's drop-down too")
        self.assertEqual(self.env.ref("pi_crm.pi_utm_source_menu").action, self.env.ref("pi_crm.pi_utm_source_action"))

    def test_empty_lists_show_no_sample_records(self):
        actions = pi_window_actions(self.env) | self.env.ref("crm.crm_lead_action_pipeline")
        for action in actions:
            given = {view.view_mode: view.view_id.id for view in action.view_ids}
            if action.view_id:
                given.setdefault(action.view_id.type, action.view_id.id)
            modes = [mode for mode in action.view_mode.split(",") if mode in ("list", "kanban", "pivot", "graph")]
            views = self.env[action.res_model].get_views([(given.get(mode, False), mode) for mode in modes])["views"]
            for mode, view in views.items():
                with self.subTest(action=action.name, view=mode):
                    self.assertNotIn(SAMPLE, view["arch"])

    # ------------------------------------------------------------ point 13: words and menus
    def test_labels_read_as_pi_means_them(self):
        vi = self.env(context={"lang": "vi_VN"})
        self.assertEqual(vi.ref("pi_crm.pi_lead_never_contacted_action").name, "Chưa liên hệ")
        self.assertEqual(vi.ref("pi_crm.pi_lead_never_contacted_menu").name, "Chưa liên hệ")
        self.assertEqual(vi["pi.integration.key"]._fields["name"]._description_string(vi), "Tên khoá")

    def test_next_call_can_be_booked_by_the_hour(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        self.consultant_lan.tz = "Asia/Ho_Chi_Minh"
        wizard = self.env["pi.log.call"].with_user(self.consultant_lan).create({
            "lead_id": self.lead_lan.id, "summary": "Giới thiệu gói BCC", "next_activity_type_id": call_type.id,
            "next_date": "2026-12-03", "next_time": 14.5, "next_summary": "Gọi lại báo lãi suất",
        })
        wizard.action_log()
        activity = self.lead_lan.activity_ids.filtered(lambda act: act.activity_type_id == call_type)
        self.assertEqual(activity.date_deadline, date(2026, 12, 3))
        self.assertEqual(activity.summary, "14:30 Gọi lại báo lãi suất")
        event = activity.calendar_event_id
        self.assertEqual(event.start, datetime(2026, 12, 3, 7, 30), "14:30 in Hà Nội")
        self.assertEqual(event.partner_ids, self.consultant_lan.partner_id)
        self.assertEqual(event.opportunity_id, self.lead_lan)
        self.assertTrue(event.alarm_ids, "a reminder before the call")
        # by the day, as before: no calendar event
        self.env["pi.log.call"].with_user(self.consultant_lan).create({
            "lead_id": self.lead_lan.id, "summary": "Gọi lần hai", "next_activity_type_id": call_type.id,
            "next_date": "2026-12-04",
        }).action_log()
        by_day = self.lead_lan.activity_ids.filtered(lambda act: act.date_deadline == date(2026, 12, 4))
        self.assertFalse(by_day.calendar_event_id)


@tagged("post_install", "-at_install", "pi_consultation")
class TestPiTemplateMenu(TransactionCase):
    """Issue 12 point 13: PI's email templates under Passion Investment › Cấu hình,
    without the other apps' technical ones."""

    def test_pi_email_templates_have_a_menu(self):
        menu = self.env.ref("pi_crm.pi_mail_template_menu")
        self.assertEqual(menu.parent_id, self.env.ref("pi_crm.pi_config_menu"))
        action = menu.action
        templates = self.env["mail.template"].search(safe_eval(action.domain))
        for xmlid in ("pi_contracts.mail_template_contract_expiry",
                      "pi_portal.mail_template_portal_request_confirmation"):
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template:
                self.assertIn(template, templates)
        for xmlid in ("portal.mail_template_data_portal_welcome", "auth_signup.set_password_email"):
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template:
                self.assertNotIn(template, templates)
