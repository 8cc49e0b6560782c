import contextlib
import logging
import os
import re
import time

from odoo.tests import tagged

from .common import PiPortalHttpCommon
from .test_pi_portal_browser import (
    CHROMIUM,
    let_requests_finish,
    screenshot_dir,
    sync_playwright,
    unlimited_address_space,
)

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the test skips itself without playwright
    PlaywrightTimeout = TimeoutError

_logger = logging.getLogger(__name__)

# Words that are certainly English user-interface text, never Vietnamese nor a
# name PI uses (Email, SMS, Website, Fanpage, NAV, BCC and Kanban are, so they
# are not listed). Matched case-sensitively as whole words.
ENGLISH_WORDS = (
    "Lead", "Leads", "Opportunity", "Salesperson", "Sales Team", "Won", "Lost", "Today at", "Yesterday at",
    "Customer", "Customers", "Contract", "Contracts", "Investor", "Consultant", "Consultation", "Interactions",
    "New", "Search...", "Activities", "Stage", "Priority", "Expected Revenue", "Notes", "Send message",
    "Log note", "Followers", "Filters", "Group By", "Favorites", "Save", "Discard", "Print", "Created on",
)
ENGLISH_RE = re.compile(rf"(?<!\w)({'|'.join(re.escape(word) for word in ENGLISH_WORDS)})(?!\w)")

# Records' own contents are data, not the interface: list rows, kanban cards,
# group headers and what a chatter message says (written when it was posted).
DATA_SELECTOR = (".o_data_row, .o_group_header, .o_kanban_record, .o_pivot_header_cell_opened, "
                 ".o_pivot_header_cell_closed, .o-mail-Message-content")
# The visible text of the menu bar, the breadcrumbs and main content, and an open dialog,
# with the placeholders shown in empty inputs.
VISIBLE_TEXT_JS = """(dataSelector) => {
    const texts = [];
    for (const root of document.querySelectorAll('.o_main_navbar, .o_action_manager, .modal-content')) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            if (node.textContent.trim() && !element.closest(dataSelector) && element.checkVisibility()) {
                texts.push(node.textContent.trim());
            }
        }
        for (const input of root.querySelectorAll('[placeholder]')) {
            if (!input.value && input.checkVisibility()) {
                texts.push(input.getAttribute('placeholder'));
            }
        }
    }
    return texts.join(' | ');
}"""
VIEW_READY = (".o_list_renderer, .o_kanban_renderer, .o_form_renderer, .o_pivot, .o_graph_renderer, "
              ".o_calendar_renderer")
TIMEOUT_MS = 15000


@tagged("post_install", "-at_install", "pi_portal", "pi_staff_browser")
class TestStaffBrowser(PiPortalHttpCommon):
    """PI's staff screens of the README's feature map in Debian's Chromium, in
    Vietnamese, as consultant Lan and as manager Hà: each list and one form."""

    vietnamese_modules = None  # the screens show stock's words too

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.consultant_lan | cls.manager).write({"lang": "vi_VN", "tz": "Asia/Ho_Chi_Minh"})
        # Created as the staff create them, in their Vietnamese session.
        env_vi = cls.env(context=dict(cls.env.context, lang="vi_VN"))
        cls.lead = env_vi["crm.lead"].create({
            "name": "Chị Mai quan tâm BCC 12 tháng", "contact_name": "Trần Thị Mai", "phone": "+84903000111",
            "user_id": cls.consultant_lan.id})
        cls.interaction = env_vi["pi.interaction"].create({
            "partner_id": cls.investor_a.id, "user_id": cls.consultant_lan.id, "channel": "call",
            "summary": "Gọi hỏi thăm sau khi kích hoạt hợp đồng."})

    def test_staff_screens_read_vietnamese(self):
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("playwright or /usr/bin/chromium missing")
        crm, contracts = "pi_crm.", "pi_contracts."
        consultation, customers = crm + "pi_consultation_menu", crm + "pi_customers_menu"
        contract_menu, reports, config = (contracts + "pi_contracts_menu", crm + "pi_reporting_menu",
                                          crm + "pi_config_menu")
        # (section, menu item, what to open there: a row's text, a header button, or nothing)
        consultant_walk = [
            (customers, crm + "pi_customer_menu", {"row": self.investor_a.name}),
            (customers, crm + "pi_lead_menu", {}),
            (customers, crm + "pi_former_customer_menu", {}),
            (consultation, crm + "pi_lead_new_menu", {"row": self.lead.name, "button": "action_pi_log_call"}),
            (consultation, crm + "pi_lead_callback_menu", {}),
            (consultation, crm + "pi_lead_potential_menu", {}),
            (consultation, crm + "pi_lead_never_contacted_menu", {}),
            (consultation, crm + "pi_interaction_menu", {"row": self.investor_a.name}),
            (consultation, crm + "pi_timeline_menu", {}),
            (consultation, crm + "pi_lead_entry_menu", {"dialog": True}),
            (contract_menu, contracts + "pi_investment_contract_menu", {"row": self.contract_a.name}),
            (contract_menu, contracts + "pi_investment_contract_expiring_menu", {}),
            (contract_menu, contracts + "pi_product_performance_menu", {}),
        ]
        manager_walk = [
            (consultation, crm + "pi_lead_new_menu", {}),
            (contract_menu, contracts + "pi_investment_contract_menu", {}),
            (contract_menu, "pi_portal.pi_portal_request_menu", {}),
            (contract_menu, contracts + "pi_investment_product_menu", {"row": self.product.name}),
            (reports, crm + "pi_interaction_report_menu", {}),
            (reports, crm + "pi_lead_source_report_menu", {}),
            (reports, crm + "pi_lead_new_report_menu", {}),
            (config, crm + "pi_channel_point_menu", {}),
            (config, crm + "pi_interaction_result_menu", {}),
            (config, crm + "pi_star_threshold_menu", {}),
            (config, crm + "pi_customer_group_menu", {}),
            (config, crm + "pi_customer_tier_menu", {}),
            (config, crm + "pi_utm_source_menu", {}),
            (config, contracts + "pi_financial_policy_menu", {}),
            (config, contracts + "pi_fee_tier_menu", {"row": ""}),
            (config, contracts + "pi_contract_stage_menu", {}),
            (config, contracts + "pi_contract_document_template_menu", {"row": ""}),
            (config, contracts + "pi_activity_plan_menu", {"row": ""}),
            (config, "pi_bonus.pi_bonus_rule_menu", {}),
        ]
        self.cr.flush()
        folder, started, findings, shots = screenshot_dir(), time.time(), {}, []
        with unlimited_address_space():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for login, walk in (("pp_tv_lan", consultant_walk), ("pp_ql_ha", manager_walk)):
                context = browser.new_context(viewport={"width": 1920, "height": 1200}, locale="vi-VN")
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                self._login(page, login)
                for number, (section, item, open_there) in enumerate(walk, 1):
                    name = f"{login}_{number:02d}_{item.split('.')[1].removesuffix('_menu')}"
                    try:
                        self._open_menu(page, section, item, dialog=open_there.get("dialog"))
                        self._check(page, folder, name, findings, shots)
                        if "row" in open_there:
                            self._open_row(page, open_there["row"])
                            self._check(page, folder, name + "_form", findings, shots)
                        if "button" in open_there:
                            page.click(f".o_form_view button[name={open_there['button']}]")
                            page.wait_for_selector(".modal .o_form_view")
                            self._check(page, folder, name + "_dialog", findings, shots)
                        if open_there.get("dialog") or "button" in open_there:
                            page.keyboard.press("Escape")
                            page.wait_for_selector(".modal", state="detached")
                    except Exception:
                        shots.append(self._shot(page, folder, name + "_failed"))
                        raise
                let_requests_finish(page)
                context.close()
        finally:
            browser.close()
            playwright.stop()
        _logger.info("Staff screenshots (%d screens, %.0f s) written to %s", len(shots), time.time() - started, folder)
        if findings:
            listed = "\n".join(f"  {screen}: {', '.join(words)}" for screen, words in findings.items())
            self.fail(f"English words on PI's Vietnamese screens (screenshots in {folder}):\n{listed}")

    def _login(self, page, login):
        page.goto(f"{self.base_url()}/web/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", login)
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")
        page.click(".o_navbar_apps_menu button")
        page.click('.o-dropdown--menu .o_app[data-menu-xmlid="pi_crm.pi_root_menu"]')
        page.wait_for_selector('.o_menu_sections [data-menu-xmlid]')
        self.assertEqual(page.inner_text('.o_menu_sections [data-menu-xmlid="pi_crm.pi_consultation_menu"]'), "Tư vấn")

    @staticmethod
    def _open_menu(page, section, item, dialog=False):
        """Section of the menu bar, then its item, as the user clicks them."""
        page.evaluate("() => document.querySelectorAll('.o_action_manager > .o_action')"
                      ".forEach((action) => action.dataset.piSeen = '1')")
        page.click(f'.o_menu_sections [data-menu-xmlid="{section}"]')
        page.click(f'.o-dropdown--menu [data-menu-xmlid="{item}"]')
        if dialog:
            page.wait_for_selector(".modal .o_form_view")
        else:
            page.wait_for_selector(f".o_action_manager > .o_action:not([data-pi-seen]) :is({VIEW_READY})")

    @staticmethod
    def _open_row(page, text):
        """The form of the first list row or kanban card holding ``text``, its chatter loaded."""
        record = page.locator(".o_data_row, .o_kanban_record:not(.o_kanban_ghost)").filter(has_text=text).first
        cell = record.locator("td.o_data_cell:not(.o_handle_cell)")
        (cell.first if cell.count() else record).click()
        page.wait_for_selector(".o_form_view .o_form_renderer")
        if page.locator(".o-mail-Chatter").count():
            with contextlib.suppress(PlaywrightTimeout):  # a record may have no message yet
                page.wait_for_selector(".o-mail-Chatter .o-mail-Message", timeout=5000)

    def _check(self, page, folder, name, findings, shots):
        shots.append(self._shot(page, folder, name))
        text = page.evaluate(VISIBLE_TEXT_JS, DATA_SELECTOR)
        words = sorted(set(ENGLISH_RE.findall(text)))
        if words:
            findings[name] = words

    @staticmethod
    def _shot(page, folder, name):
        path = os.path.join(folder, f"pi_staff_{name}.png")
        page.screenshot(path=path)  # the web client scrolls inside its own panes: the window is the screen
        return path
