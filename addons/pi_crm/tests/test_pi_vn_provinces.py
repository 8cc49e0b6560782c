import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import PiCrmCommon


def vn_state(env, name, active=True):
    return env["res.country.state"].with_context(active_test=False).search(
        [("country_id.code", "=", "VN"), ("name", "=", name), ("active", "=", active)])


@tagged("post_install", "-at_install", "pi_crm")
class TestPiVnProvinces(PiCrmCommon):
    """Vietnam's 34 units since 1 July 2025 and the 63 former ones, archived and mapped."""

    def test_34_current_units_and_63_former_ones_mapped(self):
        States = self.env["res.country.state"].with_context(active_test=False)
        current = States.search([("country_id.code", "=", "VN"), ("active", "=", True)])
        former = States.search([("country_id.code", "=", "VN"), ("active", "=", False)])
        self.assertEqual(len(current), 34)
        self.assertEqual(len(current.filtered("pi_is_central_city")), 6)
        self.assertEqual(len(former), 63)
        self.assertFalse(former.filtered(lambda state: not state.pi_successor_state_id))
        self.assertEqual(former.pi_successor_state_id, current)
        for old, new in [("Bình Dương", "TP Hồ Chí Minh"), ("Bà Rịa - Vũng Tàu", "TP Hồ Chí Minh"),
                         ("Quảng Nam", "TP Đà Nẵng"), ("Hà Giang", "Tuyên Quang"), ("Thừa Thiên - Huế", "TP Huế"),
                         ("Kiên Giang", "An Giang"), ("Bình Thuận", "Lâm Đồng"), ("Hà Nội", "TP Hà Nội"),
                         ("Hòa Bình", "Phú Thọ"), ("Bạc Liêu", "Cà Mau")]:
            with self.subTest(old=old):
                self.assertEqual(vn_state(self.env, old, active=False).pi_successor_state_id.name, new)
        self.assertEqual(self.env.ref("base.state_vn_VN-57").pi_successor_state_id,
                         self.env.ref("pi_crm.state_vn_79"), "base's xmlids stay, archived")

    def test_a_correction_of_the_table_survives_the_upgrade_step(self):
        old = self.env.ref("base.state_vn_VN-32")  # Phú Yên → Đắk Lắk
        old.with_user(self.pi_admin).pi_successor_state_id = self.env.ref("pi_crm.state_vn_56")
        self.env["res.country.state"]._pi_archive_pre_2025_units()
        self.assertEqual(old.pi_successor_state_id, self.env.ref("pi_crm.state_vn_56"))

    def test_only_admins_edit_the_table(self):
        old = self.env.ref("base.state_vn_VN-32")
        for user in (self.consultant_lan, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                old.with_user(user).write({"pi_successor_state_id": self.env.ref("pi_crm.state_vn_01").id})
        self.assertEqual(old.pi_successor_state_id, self.env.ref("pi_crm.state_vn_66"))

    def test_archived_units_are_not_offered_for_new_addresses(self):
        names = [name for _id, name in self.env["res.country.state"].with_user(self.consultant_lan).name_search(
            "Bình Dương", [("country_id.code", "=", "VN")])]
        self.assertEqual(names, [])

    def test_moving_a_customer_logs_the_change(self):
        self.customer_lan.state_id = self.env.ref("base.state_vn_VN-57")
        moved = self.customer_lan.with_user(self.consultant_lan).action_pi_update_provinces()
        self.assertEqual(moved, 1)
        self.assertEqual(self.customer_lan.state_id, self.env.ref("pi_crm.state_vn_79"))
        note = self.customer_lan.message_ids[:1]
        self.assertIn("Bình Dương", note.body)
        self.assertIn("TP Hồ Chí Minh", note.body)
        self.assertEqual(self.customer_lan.action_pi_update_provinces(), 0, "nothing left to move")

    def test_another_consultants_customer_is_not_moved(self):
        self.customer_minh.state_id = self.env.ref("base.state_vn_VN-57")
        with self.assertRaises(AccessError):
            self.customer_minh.with_user(self.consultant_lan).action_pi_update_provinces()
        self.assertEqual(self.customer_minh.state_id, self.env.ref("base.state_vn_VN-57"))

    def test_wizard_whole_base_is_for_managers(self):
        old = self.env.ref("base.state_vn_VN-27")  # Quảng Nam
        (self.customer_lan | self.customer_minh).state_id = old
        self.lead_minh.state_id = old
        wizard = self.env["pi.province.update"].with_user(self.consultant_lan).create({"scope": "all"})
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(self.customer_lan.state_id, old)
        wizard = self.env["pi.province.update"].with_user(self.manager).create({"scope": "all"})
        self.assertGreaterEqual(wizard.partner_count, 2)
        self.assertGreaterEqual(wizard.lead_count, 1)
        wizard.action_apply()
        danang = self.env.ref("pi_crm.state_vn_48")
        self.assertEqual((self.customer_lan | self.customer_minh).state_id, danang)
        self.assertEqual(self.lead_minh.state_id, danang)

    def test_wizard_on_selected_customers_moves_only_those(self):
        old = self.env.ref("base.state_vn_VN-61")  # Hải Dương
        (self.customer_lan | self.customer_minh).state_id = old
        wizard = self.env["pi.province.update"].with_user(self.consultant_lan).with_context(
            active_model="res.partner", active_ids=self.customer_lan.ids).create({})
        self.assertEqual((wizard.scope, wizard.partner_count), ("selected", 1))
        wizard.action_apply()
        self.assertEqual(self.customer_lan.state_id, self.env.ref("pi_crm.state_vn_31"))
        self.assertEqual(self.customer_minh.state_id, old)

    def test_province_names_as_people_write_them(self):
        find = self.env["res.country.state"]._pi_find_vn_state
        hcm = self.env.ref("pi_crm.state_vn_79")
        for typed in ("Thành phố Hồ Chí Minh", "TP HCM", "Bình Dương", "binh duong", "Hồ Chí Minh"):
            with self.subTest(typed=typed):
                self.assertEqual(find(typed), hcm)
        self.assertEqual(find("Thừa Thiên Huế"), self.env.ref("pi_crm.state_vn_46"))
        self.assertFalse(find("Atlantis"))


    def test_the_name_map_is_cached_and_follows_every_change(self):
        States, find = self.env["res.country.state"], self.env["res.country.state"]._pi_find_vn_state
        hcm = self.env.ref("pi_crm.state_vn_79")
        find("Bình Dương")
        with self.assertQueryCount(0):
            self.assertEqual(find("Bình Dương"), hcm, "served from the cache")
        self.assertFalse(find("Côn Đảo"))
        unit = States.create({"name": "Côn Đảo", "code": "CD", "country_id": self.env.ref("base.vn").id})
        self.assertEqual(find("Côn Đảo"), unit, "a new unit is found at once")
        unit.name = "Côn Sơn"
        self.assertEqual(find("con son"), unit, "and under its new name")
        self.assertFalse(find("Côn Đảo"), "not under the old one")
        unit.write({"pi_successor_state_id": hcm.id, "active": False})
        self.assertEqual(find("Côn Sơn"), hcm, "archived into a successor: leads there")
        unit.unlink()
        self.assertEqual(find("Côn Sơn"), States, "deleted: gone from the map")

    def test_a_chain_of_successors_is_followed_to_its_end(self):
        phu_yen = self.env.ref("base.state_vn_VN-32")  # → Đắk Lắk
        dak_lak, khanh_hoa = self.env.ref("pi_crm.state_vn_66"), self.env.ref("pi_crm.state_vn_56")
        dak_lak.write({"pi_successor_state_id": khanh_hoa.id, "active": False})  # say PI merged it on
        find = self.env["res.country.state"]._pi_find_vn_state
        self.assertEqual(find("Phú Yên"), khanh_hoa, "two steps")
        self.assertEqual(find("Đắk Lắk"), khanh_hoa)
        self.customer_lan.state_id = phu_yen
        self.assertEqual(self.customer_lan.with_user(self.consultant_lan).action_pi_update_provinces(), 1)
        self.assertEqual(self.customer_lan.state_id, khanh_hoa, "moved to the end of the chain in one go")
        self.assertIn("Khánh Hòa", self.customer_lan.message_ids[:1].body)
        self.assertEqual(self.customer_lan.action_pi_update_provinces(), 0)
        # a cycle (a correction gone wrong) ends at its last unit not yet seen, never loops
        khanh_hoa.pi_successor_state_id = phu_yen
        self.assertEqual(find("Phú Yên"), khanh_hoa)
        self.assertEqual(phu_yen._pi_final_successor(), khanh_hoa)
        self.assertEqual(khanh_hoa._pi_final_successor(), dak_lak)

@tagged("post_install", "-at_install", "pi_crm")
class TestPiIntakeProvince(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.env["pi.integration.key"].create({"name": "Website", "kind": "website"})
        cls.plain = cls.key._generate_key()

    def submit(self, **payload):
        response = self.url_open("/pi/api/v1/leads", data=json.dumps({"name": "Đặng Thu Trang", **payload}),
                                 headers={"Content-Type": "application/json", "X-PI-Key": self.plain})
        self._wait_remaining_requests()
        self.env.invalidate_all()
        return response

    def test_a_former_province_name_lands_on_its_successor(self):
        response = self.submit(phone="0903 111 222", province="Bình Dương")
        self.assertEqual(response.status_code, 201, response.text)
        lead = self.env["crm.lead"].search([("contact_name", "=", "Đặng Thu Trang")])
        self.assertEqual(lead.state_id, self.env.ref("pi_crm.state_vn_79"))
        self.assertEqual(lead.country_id, self.env.ref("base.vn"))

    def test_an_unknown_province_is_kept_as_typed(self):
        response = self.submit(email="trang@example.vn", province="Xã Đảo Ngọc")
        self.assertEqual(response.status_code, 201, response.text)
        lead = self.env["crm.lead"].search([("contact_name", "=", "Đặng Thu Trang")])
        self.assertFalse(lead.state_id)
        self.assertEqual(lead.city, "Xã Đảo Ngọc")

    def test_a_province_that_is_not_text_is_refused(self):
        count = self.env["crm.lead"].search_count([])
        response = self.submit(phone="0903 111 223", province=["Hà Nội"])
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("province", response.json()["errors"])
        self.assertEqual(self.env["crm.lead"].search_count([]), count)
