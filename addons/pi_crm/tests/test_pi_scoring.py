from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiScoring(PiCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.thresholds = cls.env["pi.star.threshold"].search([])
        # 1★ 10, 2★ 30, 3★ 60, 4★ 100, 5★ 150 (shipped data, reset here)
        for threshold, minimum in zip(cls.thresholds, (10, 30, 60, 100, 150), strict=False):
            threshold.min_points = minimum
        cls.env["pi.channel.point"].search([("channel", "=", "call")]).points = 5
        cls.result = cls.env["pi.interaction.result"].create({"name": "Hẹn ký hợp đồng", "points": 40})
        cls.group_vip = cls.env["pi.customer.group"].create({"name": "Nhóm VIP thử", "points": 20})

    def _call(self, lead, completed=True):
        return lead._pi_log_interaction({"direction": "out", "result_id": self.result.id, "completed": completed})

    def test_result_points_count_when_the_call_is_completed(self):
        self.assertEqual(self._call(self.lead_lan).points, 45)
        self.assertEqual(self._call(self.lead_lan, completed=False).points, 5)
        self.assertEqual(self.lead_lan.pi_score, 50)
        self.assertEqual(self.lead_lan.pi_stars, "2")

    def test_group_points_add_to_the_score_of_lead_and_customer(self):
        self.lead_lan.partner_id = self.customer_lan
        self._call(self.lead_lan)
        self.assertEqual(self.customer_lan.pi_score, 45)
        self.customer_lan.pi_group_id = self.group_vip
        self.assertEqual(self.lead_lan.pi_group_id, self.group_vip, "the lead follows its customer's group")
        self.assertEqual(self.lead_lan.pi_score, 65)
        self.assertEqual(self.lead_lan.pi_stars, "3")
        self.assertEqual(self.customer_lan.pi_score, 65)
        self.assertEqual(self.customer_lan.pi_stars, "3")
        self.group_vip.points = 110
        self.assertEqual(self.customer_lan.pi_score, 155)
        self.assertEqual(self.customer_lan.pi_stars, "5")

    def test_changing_thresholds_reranks_leads_and_customers(self):
        self.lead_lan.partner_id = self.customer_lan
        self._call(self.lead_lan)
        self.assertEqual(self.lead_lan.pi_stars, "2")
        self.thresholds.filtered(lambda t: t.stars == 1).min_points = 1
        self.thresholds.filtered(lambda t: t.stars == 2).min_points = 2
        self.thresholds.filtered(lambda t: t.stars == 3).min_points = 3
        self.thresholds.filtered(lambda t: t.stars == 4).min_points = 40
        self.assertEqual(self.lead_lan.pi_stars, "4")
        self.assertEqual(self.customer_lan.pi_stars, "4")

    def test_non_increasing_thresholds_are_refused_in_vietnamese(self):
        three_stars = self.thresholds.filtered(lambda t: t.stars == 3).with_context(lang="vi_VN")
        with self.assertRaisesRegex(ValidationError, "tăng dần"):
            three_stars.min_points = 100  # same as 4 stars
        self.env.invalidate_all()
        self.assertEqual(three_stars.min_points, 60)

    def test_channel_points_change_rescores(self):
        self._call(self.lead_lan)
        self.env["pi.channel.point"].search([("channel", "=", "call")]).points = 15
        self.assertEqual(self.lead_lan.pi_interaction_ids.points, 55)
        self.assertEqual(self.lead_lan.pi_score, 55)
