from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from .common import pi_user


@tagged("pi_crm", "pi_languages")
class TestLanguages(TransactionCase):
    """Vietnamese first, English available: the suite's test database is made
    as docker and the README make theirs (``--load-language=vi_VN``)."""

    def test_english_and_vietnamese_active_after_install(self):
        active = set(self.env["res.lang"].search([]).mapped("code"))
        self.assertIn("vi_VN", active)
        self.assertIn("en_US", active, "English must stay available beside Vietnamese")

    def test_each_user_chooses_their_own_language(self):
        """The preferences offer both languages; a consultant who picks English
        reads PI's menus in English while a colleague keeps Vietnamese."""
        consultant = pi_user(self.env, "consultant", "lang_tv_binh", lang="vi_VN")
        colleague = pi_user(self.env, "consultant", "lang_tv_chi", lang="vi_VN")
        offered = dict(self.env["res.users"].with_user(consultant).fields_get(["lang"])["lang"]["selection"])
        self.assertIn("en_US", offered)
        self.assertIn("vi_VN", offered)

        consultant.with_user(consultant).write({"lang": "en_US"})  # Preferences › Language
        menu = self.env.ref("pi_crm.pi_customers_menu")
        self.assertEqual(menu.with_user(consultant).with_context(lang=consultant.lang).name, "Customers")
        self.assertEqual(colleague.lang, "vi_VN")
        self.assertEqual(menu.with_user(colleague).with_context(lang=colleague.lang).name, "Khách hàng")

    def test_demo_staff_work_in_vietnamese(self):
        staff = [self.env.ref(f"pi_crm.{xmlid}", raise_if_not_found=False)
                 for xmlid in ("user_manager_demo", "user_consultant_lan_demo", "user_consultant_minh_demo")]
        if not all(staff):
            self.skipTest("demo data not installed")
        self.assertEqual({user.lang for user in staff}, {"vi_VN"})

    def test_installing_a_language_loads_the_stock_terms(self):
        """The demo installs Vietnamese as Settings › Languages does, with the terms of
        the modules installed before PI (a database made in English): Lao here, an
        inactive language whose terms load in seconds."""
        menu = self.env.ref("crm.crm_menu_report")  # a stock crm menu, "Reporting"

        def lao_name():
            self.env.flush_all()
            self.env.cr.execute("SELECT name->>'lo_LA' FROM ir_ui_menu WHERE id = %s", [menu.id])
            return self.env.cr.fetchone()[0]

        self.assertIsNone(lao_name())
        lang = self.env["res.lang"]._pi_install_lang("lo_LA")
        self.assertTrue(lang.active)
        self.assertTrue(lao_name())
        self.assertNotEqual(menu.with_context(lang="lo_LA").name, "Reporting")

    def test_installing_an_active_language_does_nothing(self):
        Installer = type(self.env["base.language.install"])
        with patch.object(Installer, "lang_install", autospec=True) as lang_install:
            self.assertEqual(self.env["res.lang"]._pi_install_lang("vi_VN").code, "vi_VN")
        lang_install.assert_not_called()
