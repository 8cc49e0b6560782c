import datetime
import os

from odoo.tests import HttpCase, tagged

from odoo.addons.pi_contracts.tests.browser import (
    CHROMIUM,
    let_requests_finish,
    sync_playwright,
    unlimited_address_space,
)

from .common import PiTaskCommon

TIMEOUT_MS = 20000


def screenshot_dir():
    path = os.environ.get("PI_SCREENSHOT_DIR") or os.path.join("/tmp", "pi_portal_screenshots")
    os.makedirs(path, exist_ok=True)
    return path


@tagged("post_install", "-at_install", "pi_bonus", "pi_task")
class TestPiTaskBrowser(PiTaskCommon, HttpCase):
    """Issue 16 point 2: "Việc của cấp dưới" in week view, as Lan (two levels above Tú),
    in Debian's Chromium, in Vietnamese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.lan | cls.minh | cls.tu).write({"tz": "Asia/Ho_Chi_Minh"})
        # noon in Hà Nội today: always inside the week the calendar opens on
        noon = datetime.datetime.combine(datetime.date.today(), datetime.time(5, 0))
        cls.task_tu.date_deadline = noon
        cls.task_minh = cls._create_task(cls.lan, "Chuẩn bị hồ sơ gia hạn", cls.minh)
        cls.task_minh.date_deadline = noon + datetime.timedelta(hours=2)

    def test_subordinates_week_calendar(self):
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("playwright or /usr/bin/chromium missing")
        self.cr.flush()
        path = os.path.join(screenshot_dir(), "pi_task_subordinates_week.png")
        # read before the pages load: their requests share the test's cursor with this thread
        login, action_id = self.lan.login, self.env.ref("pi_bonus.pi_task_action_subordinates").id
        names = {task: task.name for task in (self.task_tu, self.task_minh, self.task_binh)}
        tu_name = self.tu.name
        with unlimited_address_space():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN").new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{self.base_url()}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)  # new_test_user: password = login
            page.click("button[type=submit]")
            page.wait_for_selector(".o_main_navbar")
            page.goto(f"{self.base_url()}/odoo/action-{action_id}")
            page.wait_for_selector(".o_calendar_renderer .fc-event")
            page.wait_for_selector(f".fc-event:has-text('{names[self.task_tu]}')")
            page.screenshot(path=path)
            sidebar = page.inner_text(".o_calendar_sidebar_container")
            title = page.inner_text(".o_breadcrumb")
            scale = page.inner_text(".o_calendar_header")
            events = page.inner_text(".o_calendar_renderer")
            let_requests_finish(page)
        finally:
            browser.close()
            playwright.stop()
        self.assertIn("Việc của cấp dưới", title)
        self.assertIn("Tuần", scale)
        self.assertIn(names[self.task_tu], events, "Tú's task: two levels below Lan")
        self.assertIn(names[self.task_minh], events)
        self.assertNotIn(names[self.task_binh], events)
        self.assertIn("Người phụ trách", sidebar)
        self.assertIn(tu_name, sidebar)
