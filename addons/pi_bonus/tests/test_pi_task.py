from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import PiTaskCommon


@tagged("pi_bonus", "pi_task")
class TestPiTaskAssignment(PiTaskCommon):
    """Issue 16 point 1: who gave a task, and that only a manager changes it."""

    def test_shipped_project_and_project_rights_of_pi_groups(self):
        self.assertEqual(self.project.with_context(lang="vi_VN").name, "Công việc PI")
        self.assertEqual(self.project.privacy_visibility, "followers")
        self.assertTrue(self.lan.has_group("project.group_project_user"))
        self.assertFalse(self.lan.has_group("project.group_project_manager"))
        self.assertTrue(self.manager.has_group("project.group_project_manager"))
        # pi_crm's own implications still hold
        self.assertTrue(self.lan.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.manager.has_group("sales_team.group_sale_salesman_all_leads"))

    def test_assigner_is_the_creator_and_the_task_reaches_its_assignee(self):
        self.assertEqual(self.task_tu.pi_assigner_id, self.minh)
        self.assertEqual(self.task_tu.user_ids, self.tu)
        task = Form(self.env["project.task"].with_user(self.tu).with_context(pi_tasks=1))
        task.name = "Việc tự ghi"
        task = task.save()
        self.assertEqual(task.pi_assigner_id, self.tu)
        self.assertEqual(task.project_id, self.project, "PI's menus create in the PI project")

    def test_assignee_cannot_change_the_assigner_over_rpc(self):
        for user in (self.tu, self.minh):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.task_tu.with_user(user).write({"pi_assigner_id": self.tu.id})
        self.assertEqual(self.task_tu.pi_assigner_id, self.minh)

    def test_consultant_cannot_create_a_task_in_someone_elses_name(self):
        with self.assertRaises(AccessError):
            self.env["project.task"].with_user(self.tu).create({
                "name": "Giả danh", "project_id": self.project.id, "pi_assigner_id": self.manager.id})

    def test_manager_changes_the_assigner(self):
        self.task_tu.with_user(self.manager).write({"pi_assigner_id": self.lan.id})
        self.assertEqual(self.task_tu.pi_assigner_id, self.lan)

    def test_task_covers_many_customers_and_links_only_readable_records(self):
        other = self.env["res.partner"].create({"name": "Khách của Bình", "user_id": self.binh.id})
        self.task_tu.with_user(self.tu).write({"pi_partner_ids": [(6, 0, self.customer.ids)]})
        self.assertEqual(self.task_tu.pi_partner_ids, self.customer)
        with self.assertRaises(AccessError):
            self.task_tu.with_user(self.tu).write({"pi_partner_ids": [(4, other.id)]})
        lead_binh = self.env["crm.lead"].create({"name": "Lead của Bình", "user_id": self.binh.id})
        with self.assertRaises(AccessError):
            self.task_tu.with_user(self.tu).write({"pi_lead_id": lead_binh.id})

    def test_progress_follows_subtasks(self):
        self.task_tu.with_user(self.tu).pi_progress = 30
        self.assertEqual(self.task_tu.pi_progress, 30)
        sub_a, sub_b = (self._create_task(self.tu, name, self.tu, parent_id=self.task_tu.id) for name in "AB")
        self.assertEqual(self.task_tu.pi_progress, 0)
        self.env["pi.task.done"].with_user(self.tu).create({"task_id": sub_a.id, "comment": "Xong"}).action_confirm()
        self.assertEqual(self.task_tu.pi_progress, 50)
        self.assertTrue(sub_b)


@tagged("pi_bonus", "pi_task")
class TestPiTaskVisibility(PiTaskCommon):
    """Issue 16 point 3: record rules, whatever the menu."""

    def _sees(self, user, task):
        found = bool(self.env["project.task"].with_user(user).search([("id", "=", task.id)]))
        try:
            task.with_user(user).read(["name", "user_ids"])
            readable = True
        except AccessError:
            readable = False
        self.assertEqual(found, readable, f"search and read agree for {user.login}")
        return readable

    def test_visibility_matrix(self):
        # user: (sees Tú's task, sees Bình's task)
        matrix = {
            self.tu: (True, False),      # assignee
            self.minh: (True, False),    # assigner, and Tú's direct superior
            self.lan: (True, False),     # Tú's superior two levels up
            self.binh: (False, True),    # another consultant: only his own
            self.manager: (True, True),  # PI manager: everything
        }
        for user, (sees_tu, sees_binh) in matrix.items():
            with self.subTest(user=user.login):
                self.assertEqual(self._sees(user, self.task_tu), sees_tu)
                self.assertEqual(self._sees(user, self.task_binh), sees_binh)

    def test_assigner_outside_the_hierarchy_sees_what_they_gave(self):
        task = self._create_task(self.binh, "Nhờ Tú gọi khách", self.tu)
        self.assertTrue(self._sees(self.binh, task))
        self.assertFalse(self._sees(self.lan, self.task_binh))

    def test_other_consultant_sees_none_of_the_project_tasks(self):
        tasks = self.env["project.task"].with_user(self.binh).search([("project_id", "=", self.project.id)])
        self.assertEqual(tasks, self.task_binh)
        with self.assertRaises(AccessError):
            self.task_tu.with_user(self.binh).write({"name": "Đổi tên"})

    def test_subordinates_menu_lists_the_whole_team_below(self):
        own = self._create_task(self.lan, "Việc của Lan", self.lan)
        tasks = self.env["project.task"].with_user(self.lan).search([("pi_of_my_subordinates", "=", True)])
        self.assertIn(self.task_tu, tasks)
        self.assertNotIn(own, tasks)
        self.assertNotIn(self.task_binh, tasks)

    def test_hierarchy_change_applies_at_once(self):
        self.assertFalse(self._sees(self.binh, self.task_tu))
        self.employee_minh.parent_id = self.employee_binh
        self.env.invalidate_all()
        self.assertTrue(self._sees(self.binh, self.task_tu))
        self.assertFalse(self._sees(self.lan, self.task_tu))


@tagged("pi_bonus", "pi_task")
class TestPiTaskReminder(PiTaskCommon):
    """Issue 16 point 4: one reminder per task and assignee, one overdue notice."""

    def _notices(self, task, partner, text):
        return task.message_ids.filtered(lambda message: partner in message.partner_ids and text in message.body)

    def test_reminder_once_per_task_and_assignee(self):
        self.env["ir.config_parameter"].set_param("pi_bonus.task_reminder_hours", "24")
        soon = self._create_task(self.minh, "Gửi hồ sơ", self.tu, hours=10)
        later = self._create_task(self.minh, "Việc tuần sau", self.tu, hours=48)
        Task = self.env["project.task"]
        Task._cron_pi_deadline_reminder()
        Task._cron_pi_deadline_reminder()
        activities = soon.activity_ids.filtered(lambda activity: activity.user_id == self.tu)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(len(self._notices(soon, self.tu.partner_id, "Nhắc việc")), 1, "in Tú's Vietnamese")
        self.assertFalse(later.activity_ids, "48 h away: not yet")
        # a second assignee is reminded once too, the first not again
        soon.user_ids = [(4, self.lan.id)]
        Task._cron_pi_deadline_reminder()
        Task._cron_pi_deadline_reminder()
        self.assertEqual(len(soon.activity_ids.filtered(lambda activity: activity.user_id == self.lan)), 1)
        self.assertEqual(len(soon.activity_ids.filtered(lambda activity: activity.user_id == self.tu)), 1)

    def test_setting_changes_the_window(self):
        self.env["ir.config_parameter"].set_param("pi_bonus.task_reminder_hours", "72")
        task = self._create_task(self.minh, "Việc tuần sau", self.tu, hours=48)
        self.env["project.task"]._cron_pi_deadline_reminder()
        self.assertTrue(task.activity_ids)

    def test_overdue_notice_once_to_the_assigner(self):
        task = self._create_task(self.minh, "Quá hạn", self.tu, hours=-1)
        self.assertTrue(task.pi_is_overdue)
        self.assertIn(task, self.env["project.task"].search([("pi_is_overdue", "=", True)]))
        Task = self.env["project.task"]
        Task._cron_pi_deadline_reminder()
        Task._cron_pi_deadline_reminder()
        self.assertEqual(len(self._notices(task, self.minh.partner_id, "quá hạn")), 1)
        self.assertFalse(task.activity_ids, "an overdue task gets no 'before the deadline' reminder")
        # a new deadline, missed again: one more notice
        task.date_deadline = fields.Datetime.now() - timedelta(minutes=5)
        Task._cron_pi_deadline_reminder()
        self.assertEqual(len(self._notices(task, self.minh.partner_id, "quá hạn")), 2)

    def test_done_tasks_get_nothing(self):
        task = self._create_task(self.minh, "Đã xong", self.tu, hours=-1)
        self.env["pi.task.done"].with_user(self.tu).create({"task_id": task.id, "comment": "Xong"}).action_confirm()
        self.assertFalse(task.pi_is_overdue)
        count = len(task.message_ids)
        self.env["project.task"]._cron_pi_deadline_reminder()
        self.assertEqual(len(task.message_ids), count)

    def test_cron_record(self):
        cron = self.env.ref("pi_bonus.ir_cron_task_deadline_reminder")
        self.assertEqual(cron.model_id.model, "project.task")
        cron.method_direct_trigger()


@tagged("pi_bonus", "pi_task")
class TestPiTaskDone(PiTaskCommon):
    """Issue 16 point 5: done only with a comment, which reaches the assigner."""

    def test_raw_write_of_the_done_state_is_refused(self):
        task = self.task_tu.with_user(self.tu).with_context(lang="vi_VN")  # as the web client sends it
        attempts = (
            ("write", lambda: task.write({"state": "1_done"})),
            ("forged marker", lambda: task.with_context(pi_task_done_write=True).write({"state": "1_done"})),
            ("done stage", lambda: task.write({"stage_id": self.env.ref("pi_bonus.project_task_type_pi_done").id})),
            ("superuser", lambda: task.sudo().write({"state": "1_done"})),
            ("create done", lambda: task.env["project.task"].create(
                {"name": "X", "project_id": self.project.id, "state": "1_done"})),
        )
        for name, attempt in attempts:
            with self.subTest(attempt=name), self.assertRaises(UserError) as caught:
                attempt()
            self.assertIn("nhận xét", str(caught.exception))
        self.assertEqual(self.task_tu.state, "01_in_progress")

    def test_tasks_of_other_projects_keep_stocks_done(self):
        project = self.env["project.project"].create({"name": "Sửa văn phòng"})
        task = self.env["project.task"].create({"name": "Sơn tường", "project_id": project.id})
        task.write({"state": "1_done"})
        self.assertEqual(task.state, "1_done")

    def test_wizard_requires_a_comment(self):
        wizard = self.env["pi.task.done"].with_user(self.tu).create({"task_id": self.task_tu.id, "comment": "  "})
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.task_tu.state, "01_in_progress")

    def test_wizard_checks_the_task_it_acts_on(self):
        with self.assertRaises(AccessError):
            self.env["pi.task.done"].with_user(self.binh).create({"task_id": self.task_tu.id, "comment": "Xong"})
        with self.assertRaises(AccessError):
            self.task_tu.with_user(self.binh).action_pi_mark_done()
        self.assertEqual(self.task_tu.state, "01_in_progress")

    def test_done_with_a_comment_notifies_the_assigner(self):
        self.minh.notification_type = "inbox"
        action = self.task_tu.with_user(self.tu).action_pi_mark_done()
        self.assertEqual(action["res_model"], "pi.task.done")
        wizard = Form(self.env["pi.task.done"].with_user(self.tu).with_context(**action["context"]))
        wizard.comment = "Đã gọi anh Hùng, anh hẹn ký gia hạn thứ Sáu."
        wizard.save().action_confirm()
        self.assertEqual(self.task_tu.state, "1_done")
        self.assertEqual(self.task_tu.stage_id, self.env.ref("pi_bonus.project_task_type_pi_done"))
        message = self.task_tu.message_ids.filtered(lambda message: "hẹn ký gia hạn" in message.body)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.tu.partner_id)
        notification = message.notification_ids.filtered(lambda notif: notif.res_partner_id == self.minh.partner_id)
        self.assertEqual(notification.notification_type, "inbox")

    def test_assigner_who_prefers_email_gets_an_email(self):
        self.minh.notification_type = "email"
        self.env["pi.task.done"].with_user(self.tu).create(
            {"task_id": self.task_tu.id, "comment": "Xong phần hồ sơ"}).action_confirm()
        message = self.task_tu.message_ids.filtered(lambda message: "Xong phần hồ sơ" in message.body)
        notification = message.notification_ids.filtered(lambda notif: notif.res_partner_id == self.minh.partner_id)
        self.assertEqual(notification.notification_type, "email")


@tagged("pi_bonus", "pi_task")
class TestPiTaskEscalation(PiTaskCommon):
    """Issue 16 point 6: "Yêu cầu hỗ trợ" reaches the consultant's superior."""

    def test_support_request_on_a_task_reaches_the_superior(self):
        action = self.task_tu.with_user(self.tu).action_pi_request_support()
        support = self.env["project.task"].browse(action["res_id"])
        self.assertEqual(support.user_ids, self.minh)
        self.assertEqual(support.pi_assigner_id, self.tu)
        self.assertEqual(support.pi_origin_task_id, self.task_tu)
        self.assertTrue(support.with_user(self.minh).read(["name"]))
        self.assertIn(support, self.env["project.task"].with_user(self.lan).search([]), "and Minh's superior")
        self.assertFalse(self.env["project.task"].with_user(self.binh).search([("id", "=", support.id)]))

    def test_support_request_on_a_lead(self):
        lead = self.env["crm.lead"].create({"name": "Anh Khoa quan tâm BCC", "user_id": self.tu.id,
                                            "partner_id": self.customer.id})
        action = lead.with_user(self.tu).action_pi_request_support()
        support = self.env["project.task"].browse(action["res_id"])
        self.assertEqual((support.user_ids, support.pi_lead_id, support.pi_partner_ids),
                         (self.minh, lead, self.customer))
        self.assertEqual(lead.with_user(self.tu).pi_task_count, 1)

    def test_without_a_superior_the_team_leader_else_a_clear_message(self):
        with self.assertRaises(UserError) as caught:
            self.task_binh.with_user(self.manager).with_context(lang="vi_VN").action_pi_request_support()
        self.assertIn("cấp trên", str(caught.exception))
        loner = self.env["res.users"].create({
            "name": "Vũ Hải", "login": "pt_tv_hai", "lang": "vi_VN", "email": "hai@pi.example.vn",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id, self.env.ref("pi_crm.group_pi_consultant").id])]})
        self.env["crm.team"].create({"name": "Nhóm Hà", "user_id": self.manager.id,
                                     "member_ids": [(6, 0, loner.ids)]})
        task = self._create_task(loner, "Việc của Hải", loner)
        support = self.env["project.task"].browse(task.with_user(loner).action_pi_request_support()["res_id"])
        self.assertEqual(support.user_ids, self.manager)

    def test_cannot_escalate_what_one_cannot_read(self):
        with self.assertRaises(AccessError):
            self.task_binh.with_user(self.tu).action_pi_request_support()
