from odoo.tests import tagged

from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiMerge(PiCrmCommon):
    """Issue 12 point 7: merging duplicates keeps the oldest record, with its
    name, source and subject, and the history of every merged lead.

    "Trịnh Văn Long" called the switchboard; Lan later types him again by hand,
    unaccented, and merges the two from the duplicate banner.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.switchboard = cls.env.ref("pi_crm.utm_source_switchboard")
        cls.original = cls.env["crm.lead"].create({
            "name": "Hỏi gói BCC 12 tháng",
            "type": "lead",
            "contact_name": "Trịnh Văn Long",
            "phone": "+84916222333",
            "source_id": cls.switchboard.id,
            "user_id": cls.consultant_lan.id,
        })
        cls.first_call = cls.original._pi_log_interaction({"summary": "Gọi tổng đài hỏi lãi suất", "intake": True})

    def _enter_again(self):
        action = self.env["pi.lead.entry"].with_user(self.consultant_lan).create(
            {"contact_name": "Trinh Van Long", "phone": "0916 222 333"}
        ).action_create()
        return self.env["crm.lead"].browse(action["res_id"])

    def _merge(self, context):
        wizard = self.env["crm.merge.opportunity"].with_user(self.consultant_lan).with_context(**context).create({})
        return wizard.action_merge()

    def assert_original_kept(self, copy):
        self.assertFalse(copy.exists(), "the copy is merged into the original")
        self.assertTrue(self.original.exists())
        self.assertEqual(
            (self.original.contact_name, self.original.name, self.original.source_id),
            ("Trịnh Văn Long", "Hỏi gói BCC 12 tháng", self.switchboard),
        )
        self.assertEqual(self.first_call.lead_id, self.original)

    def test_merge_from_the_duplicate_banner_keeps_the_original(self):
        copy = self._enter_again()
        self.assertEqual(copy.source_id, self.env.ref("pi_crm.utm_source_assigned"))
        copy_call = copy._pi_log_interaction({"summary": "Gọi lại tư vấn", "direction": "out"})
        action = copy.with_user(self.consultant_lan).action_pi_merge_duplicates()
        result = self._merge(action["context"])
        self.assertEqual(result["res_id"], self.original.id, "the merged lead opens")
        self.assert_original_kept(copy)
        self.assertEqual(copy_call.lead_id, self.original, "the copy's calls are not lost")
        self.assertEqual(self.original.pi_consult_state, "consulting")

    def test_merge_from_the_lead_list_keeps_the_original(self):
        copy = self._enter_again()
        self._merge({"active_model": "crm.lead", "active_ids": [copy.id, self.original.id]})
        self.assert_original_kept(copy)

    def test_contact_merge_keeps_the_oldest_contact(self):
        Partner = self.env["res.partner"]
        oldest = Partner.create({"name": "Trịnh Văn Long", "mobile": "+84916222333", "user_id": self.consultant_lan.id})
        Partner.create({"name": "Trinh Van Long", "phone": "0916222333", "user_id": self.consultant_lan.id})
        action = oldest.with_user(self.consultant_lan).action_pi_merge_duplicates()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.dst_partner_id, oldest)
