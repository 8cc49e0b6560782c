from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .permission_matrix import N, P, PermissionMatrixMixin, Y

# Who may do what with pi_crm's records, over RPC (the ORM as the user): one row per
# operation on a model, one column per role (permission_matrix.py explains the operations).
# Each row acts on one fixture record, owned by the consultant Lan ("record" of the model's
# spec; @company: the company's partner). Roles: consultant = Lan on her own record; other =
# Minh, another consultant, on Lan's record; manager; admin (PI full rights); investor =
# portal user of Lan's customer Hùng; public = the website visitor. rights:<op> rows are a
# model's access rights alone (the key's one-time display, which has no record of its own).
# New model or rule: add its rows.
ROLES = ("consultant", "other", "manager", "admin", "investor", "public")
MATRIX = [
    # model                     operation                    cons  other  mgr  admin  inv  pub
    ("res.partner",             "read:name,email",           Y,    N,     Y,   Y,     Y,   N),
    ("res.partner",             "write:name,email",          Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "create",                    Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "unlink",                    N,    N,     N,   N,     N,   N),
    ("res.partner",             "read:pi_score,pi_segment",  Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "write:pi_score,pi_segment", N,    N,     N,   N,     N,   N),
    ("res.partner",             "read:email@company",        Y,    Y,     Y,   Y,     N,   N),
    ("res.partner",             "write:email@company",       N,    N,     Y,   Y,     N,   N),
    ("res.partner",             "create@company",            Y,    Y,     Y,   Y,     N,   N),
    ("res.partner",             "unlink@company",            N,    N,     N,   N,     N,   N),
    ("crm.lead",                "read:name,pi_class",        Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "write:name,pi_class",       Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "create",                    Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "unlink",                    N,    N,     N,   Y,     N,   N),
    ("crm.lead",                "read:pi_score,pi_stars",    Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "write:pi_score,pi_stars",   N,    N,     N,   N,     N,   N),
    ("pi.interaction",          "read:summary",              Y,    N,     Y,   Y,     N,   N),
    ("pi.interaction",          "write:summary",             Y,    N,     Y,   Y,     N,   N),
    ("pi.interaction",          "create",                    Y,    N,     Y,   Y,     N,   N),
    ("pi.interaction",          "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.interaction",          "read:points",               Y,    N,     Y,   Y,     N,   N),
    ("pi.interaction",          "write:points",              N,    N,     N,   N,     N,   N),
    ("pi.timeline",             "read:summary",              Y,    N,     Y,   Y,     N,   N),
    ("pi.timeline",             "write:summary",             N,    N,     N,   N,     N,   N),
    ("pi.timeline",             "create",                    N,    N,     N,   N,     N,   N),
    ("pi.timeline",             "unlink",                    N,    N,     N,   N,     N,   N),
    ("pi.channel.point",        "read:points",               Y,    Y,     Y,   Y,     N,   N),
    ("pi.channel.point",        "write:points",              N,    N,     Y,   Y,     N,   N),
    ("pi.channel.point",        "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.channel.point",        "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.interaction.result",   "read:points",               Y,    Y,     Y,   Y,     N,   N),
    ("pi.interaction.result",   "write:points",              N,    N,     Y,   Y,     N,   N),
    ("pi.interaction.result",   "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.interaction.result",   "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.customer.group",       "read:points",               Y,    Y,     Y,   Y,     N,   N),
    ("pi.customer.group",       "write:points",              N,    N,     Y,   Y,     N,   N),
    ("pi.customer.group",       "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.customer.group",       "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.customer.tier",        "read:name",                 Y,    Y,     Y,   Y,     N,   N),
    ("pi.customer.tier",        "write:name",                N,    N,     Y,   Y,     N,   N),
    ("pi.customer.tier",        "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.customer.tier",        "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.star.threshold",       "read:min_points",           Y,    Y,     Y,   Y,     N,   N),
    ("pi.star.threshold",       "write:min_points",          N,    N,     Y,   Y,     N,   N),
    ("pi.star.threshold",       "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.star.threshold",       "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.log.call",             "read:summary",              Y,    N,     N,   N,     N,   N),
    ("pi.log.call",             "write:summary",             Y,    N,     N,   N,     N,   N),
    ("pi.log.call",             "create",                    Y,    N,     Y,   Y,     N,   N),
    ("pi.log.call",             "unlink",                    Y,    N,     N,   N,     N,   N),
    ("pi.lead.entry",           "read:contact_name",         Y,    N,     N,   N,     N,   N),
    ("pi.lead.entry",           "write:contact_name",        Y,    N,     N,   N,     N,   N),
    ("pi.lead.entry",           "create",                    Y,    Y,     Y,   Y,     N,   N),
    ("pi.lead.entry",           "unlink",                    Y,    N,     N,   N,     N,   N),
    ("pi.integration.key",      "read:name",                 N,    N,     N,   Y,     N,   N),
    ("pi.integration.key",      "write:name",                N,    N,     N,   Y,     N,   N),
    ("pi.integration.key",      "create",                    N,    N,     N,   Y,     N,   N),
    ("pi.integration.key",      "unlink",                    N,    N,     N,   Y,     N,   N),
    ("pi.integration.key.show", "rights:read",               N,    N,     N,   Y,     N,   N),
    ("pi.integration.key.show", "rights:create",             N,    N,     N,   Y,     N,   N),
    ("pi.integration.key.show", "rights:write",              N,    N,     N,   N,     N,   N),
    ("pi.integration.key.show", "rights:unlink",             N,    N,     N,   N,     N,   N),
    ("pi.api.call",             "read:endpoint",             N,    N,     N,   Y,     N,   N),
    ("pi.api.call",             "write:endpoint",            N,    N,     N,   N,     N,   N),
    ("pi.api.call",             "create",                    N,    N,     N,   N,     N,   N),
    ("pi.api.call",             "unlink",                    N,    N,     N,   Y,     N,   N),
    ("res.partner",             "call:action_pi_log_call",   Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "call:action_pi_timeline",   Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "call:action_pi_log_call",   Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "call:action_pi_timeline",   Y,    N,     Y,   Y,     N,   N),
    ("pi.timeline",             "call:action_open_source",   Y,    N,     Y,   Y,     N,   N),
    ("pi.log.call",             "call:action_log",           Y,    N,     N,   N,     N,   N),
    ("pi.lead.entry",           "call:action_create",        Y,    N,     N,   N,     N,   N),
    ("pi.integration.key",      "call:action_revoke",        N,    N,     N,   Y,     N,   N),
    ("pi.integration.key",      "call:action_generate_key",  N,    N,     N,   Y,     N,   N),
    ("pi.api.call",             "call:action_open_record",   N,    N,     N,   Y,     N,   N),
    ("pi.sms.provider",         "read:name,brandname",       N,    N,     N,   Y,     N,   N),
    ("pi.sms.provider",         "write:name,brandname",      N,    N,     N,   Y,     N,   N),
    ("pi.sms.provider",         "create",                    N,    N,     N,   Y,     N,   N),
    ("pi.sms.provider",         "unlink",                    N,    N,     N,   Y,     N,   N),
    ("pi.sms.provider",         "read:api_key,dlr_token",    N,    N,     N,   N,     N,   N),
    ("pi.sms.provider",         "write:api_key,dlr_token",   N,    N,     N,   N,     N,   N),
    ("pi.sms.provider",         "call:action_send_test_sms", N,    N,     N,   Y,     N,   N),
    ("pi.sent.message",         "read:summary,state",        Y,    N,     Y,   Y,     N,   N),
    ("pi.sent.message",         "search",                    Y,    N,     Y,   Y,     N,   N),
    ("pi.sent.message",         "write:summary",             N,    N,     N,   N,     N,   N),
    ("pi.sent.message",         "create",                    N,    N,     N,   N,     N,   N),
    ("pi.sent.message",         "unlink",                    N,    N,     N,   N,     N,   N),
    ("pi.sent.message",         "call:action_retry",         Y,    N,     Y,   Y,     N,   N),
    ("pi.sent.message",         "call:action_open_document", Y,    N,     Y,   Y,     N,   N),
    ("pi.greeting.occasion",    "read:name,audience",        Y,    Y,     Y,   Y,     N,   N),
    ("pi.greeting.occasion",    "write:name,audience",       N,    N,     Y,   Y,     N,   N),
    ("pi.greeting.occasion",    "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.greeting.occasion",    "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("pi.greeting.occasion",    "call:action_open_logs",     Y,    Y,     Y,   Y,     N,   N),
    ("pi.greeting.log",         "read:state,reason",         Y,    N,     Y,   Y,     N,   N),
    ("pi.greeting.log",         "write:state,reason",        N,    N,     N,   N,     N,   N),
    ("pi.greeting.log",         "create",                    N,    N,     N,   N,     N,   N),
    ("pi.greeting.log",         "unlink",                    N,    N,     N,   N,     N,   N),
    ("pi.job.status",           "read:last_error,is_stuck",  N,    N,     N,   Y,     N,   N),
    ("pi.job.status",           "write:last_error",          N,    N,     N,   N,     N,   N),
    ("pi.job.status",           "create",                    N,    N,     N,   N,     N,   N),
    ("pi.job.status",           "unlink",                    N,    N,     N,   N,     N,   N),
    ("pi.job.status",           "call:action_open_cron",     N,    N,     N,   Y,     N,   N),
    ("pi.sales.document",       "read:name,file_name",       Y,    Y,     Y,   Y,     N,   N),
    ("pi.sales.document",       "write:name",                N,    N,     Y,   Y,     N,   N),
    ("pi.sales.document",       "create",                    N,    N,     Y,   Y,     N,   N),
    ("pi.sales.document",       "unlink",                    N,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "call:action_pi_send_intro", Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "call:action_pi_send_intro", Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "read:pi_needs_care,pi_nurture", Y, N,   Y,   Y,     N,   N),
    ("crm.lead",                "write:pi_nurture",          Y,    N,     Y,   Y,     N,   N),
    ("crm.lead",                "write:pi_care",             N,    N,     N,   N,     N,   N),
    ("res.partner",             "write:pi_care",             N,    N,     N,   N,     N,   N),
    # consents are evidence: kept by the customer's consultant, withdrawn by its button, deleted by no one
    # but a full-rights admin; the person's data requests are the managers'
    ("pi.consent",              "read:channel,evidence",     Y,    N,     Y,   Y,     N,   N),
    ("pi.consent",              "write:evidence",            Y,    N,     Y,   Y,     N,   N),
    ("pi.consent",              "create",                    Y,    N,     Y,   Y,     N,   N),
    ("pi.consent",              "unlink",                    N,    N,     N,   Y,     N,   N),
    ("pi.consent",              "call:action_withdraw",      Y,    N,     Y,   Y,     N,   N),
    ("res.partner",             "call:action_pi_export_personal_data", N, N, Y, Y,  N,   N),
    ("pi.province.update",      "create",                    Y,    Y,     Y,   Y,     N,   N),
    # campaigns: stock Email/SMS Marketing for managers; code in a mailing for template editors only
    ("mailing.mailing",         "read:subject",              N,    N,     Y,   Y,     N,   N),
    ("mailing.mailing",         "write:subject",             N,    N,     Y,   Y,     N,   N),
    ("mailing.mailing",         "write:body_code",           N,    N,     N,   P,     N,   N),
    ("mailing.mailing",         "create",                    N,    N,     Y,   Y,     N,   N),
    ("mailing.mailing",         "call:action_put_in_queue",  N,    N,     Y,   Y,     N,   N),
    ("mailing.filter",          "read:name",                 N,    N,     Y,   Y,     N,   N),
    ("mailing.filter",          "create",                    N,    N,     Y,   Y,     N,   N),
    ("utm.campaign",            "read:pi_budget,pi_revenue", Y,    Y,     Y,   Y,     N,   N),
    ("utm.campaign",            "write:title",               Y,    Y,     Y,   Y,     N,   N),
    ("utm.campaign",            "write:pi_budget,pi_actual_cost", N, N,   Y,   Y,     N,   N),
    ("utm.campaign",            "create",                    N,    N,     Y,   Y,     N,   N),
]


@tagged("pi_security", "pi_permission_matrix")
class TestPiCrmPermissionMatrix(PermissionMatrixMixin, TransactionCase):
    # pi_crm's write guards raise AccessError; any other error is a failure of its own
    matrix_refusals = (AccessError,)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,pi_crm.group_pi_%s"
        cls.lan = new_test_user(cls.env, login="test_matrix_lan", groups=groups % "consultant")
        cls.minh = new_test_user(cls.env, login="test_matrix_minh", groups=groups % "consultant")
        cls.manager = new_test_user(cls.env, login="test_matrix_ha", groups=groups % "manager")
        cls.admin = new_test_user(cls.env, login="test_matrix_an", groups=groups % "admin")
        cls.customer = cls.env["res.partner"].create({"name": "Lê Văn Hùng", "user_id": cls.lan.id})
        cls.investor = new_test_user(cls.env, login="test_matrix_ndt", groups="base.group_portal",
                                     partner_id=cls.customer.id, name=cls.customer.name)
        cls.users = dict(zip(ROLES, (cls.lan, cls.minh, cls.manager, cls.admin, cls.investor,
                                     cls.env.ref("base.public_user")), strict=True))
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Lan's lead", "user_id": cls.lan.id, "partner_id": cls.customer.id})
        cls.interaction = cls.env["pi.interaction"].create(
            {"lead_id": cls.lead.id, "user_id": cls.lan.id, "summary": "Gọi"})
        # free the unique slots the create checks fill
        cls.env.ref("pi_crm.channel_point_other").unlink()
        cls.env.ref("pi_crm.star_threshold_5").unlink()
        cls.log_call = cls.env["pi.log.call"].with_user(cls.lan).create({"lead_id": cls.lead.id, "summary": "x"})
        cls.lead_entry = cls.env["pi.lead.entry"].with_user(cls.lan).create(
            {"contact_name": "Khách", "phone": "0912 000 222"})
        cls.result = cls.env["pi.interaction.result"].create({"name": "Kết quả thử"})
        cls.customer_group = cls.env["pi.customer.group"].create({"name": "Nhóm thử"})
        cls.customer_tier = cls.env["pi.customer.tier"].create({"name": "Hạng thử"})
        cls.key = cls.env["pi.integration.key"].create({"name": "Website", "kind": "website"})
        cls.api_call = cls.env["pi.api.call"].create({"endpoint": "leads", "status_code": 201})
        # the test SMS finds nothing listening on the discard port: it stays queued
        cls.sms_provider = cls.env["pi.sms.provider"].create(
            {"name": "eSMS", "endpoint": "http://127.0.0.1:9", "test_number": "0912345678"})
        # an e-mail to Lan's customer, left in the queue: its "Tin đã gửi" line
        cls.customer.email = "hung@example.vn"
        message = cls.customer.with_context(mail_notify_force_send=False).message_post(
            body="Sao kê", partner_ids=cls.customer.ids, message_type="comment", subtype_xmlid="mail.mt_comment")
        cls.sent_message = cls.env["pi.sent.message"].search([("message_id", "=", message.id)])
        cls.sales_document = cls.env["pi.sales.document"].create(
            {"name": "Giới thiệu PI", "kind": "intro", "file": "JVBERi0xLjQ=", "file_name": "gioi-thieu.pdf"})
        cls.mailing = cls.env["mailing.mailing"].create({
            "subject": "Ưu đãi", "body_html": "<p>Chào <t t-out=\"object.pi_salutation\"></t></p>",
            "mailing_model_id": cls.env["ir.model"]._get("res.partner").id,
            "mailing_domain": repr([("id", "=", cls.customer.id)])})
        cls.campaign = cls.env["utm.campaign"].create({"title": "Tết", "pi_budget": 10_000_000})
        cls.greeting = cls.env.ref("pi_crm.greeting_occasion_birthday")
        cls.greeting_log = cls.env["pi.greeting.log"].create({
            "partner_id": cls.customer.id, "occasion_id": cls.greeting.id, "year": 2027, "date": "2027-03-15",
            "state": "sent", "channel": "sms"})

        cls.consent = cls.env["pi.consent"].create({
            "partner_id": cls.customer.id, "channel": "email", "purpose": "marketing", "evidence": "Cuộc gọi"})

    def _specs(self):
        company = self.env.company.partner_id
        return {
            "res.partner": {
                "record": self.customer, "company": company,
                "create": {"name": "Khách mới của Lan", "user_id": self.lan.id},
                "create@company": {"name": "Phòng kế toán", "type": "other", "parent_id": company.id}},
            "crm.lead": {"record": self.lead, "create": {"name": "Lead mới của Lan", "user_id": self.lan.id}},
            "pi.interaction": {"record": self.interaction, "create": {"lead_id": self.lead.id, "summary": "Gọi lại"}},
            "pi.timeline": {
                "record": self.env["pi.timeline"].search([("interaction_id", "=", self.interaction.id)]),
                "create": {"summary": "Dòng giả"}},
            "pi.channel.point": {"record": self.env.ref("pi_crm.channel_point_call"),
                                 "create": {"channel": "other", "points": 1}},
            "pi.interaction.result": {"record": self.result,
                                      "create": {"name": "Kết quả mới", "points": 1}},
            "pi.customer.group": {"record": self.customer_group,
                                  "create": {"name": "Nhóm mới"}},
            "pi.customer.tier": {"record": self.customer_tier,
                                 "create": {"name": "Hạng mới"}},
            "pi.star.threshold": {"record": self.env.ref("pi_crm.star_threshold_1"),
                                  "create": {"stars": 5, "min_points": 10**6}},
            "pi.log.call": {"record": self.log_call, "create": {"lead_id": self.lead.id, "summary": "Gọi lại"}},
            "pi.lead.entry": {"record": self.lead_entry,
                              "create": {"contact_name": "Khách nhập tay", "phone": "0912 000 111"}},
            "pi.integration.key": {"record": self.key,
                                   "create": {"name": "Website thử", "kind": "website"}},
            "pi.integration.key.show": {},
            "pi.api.call": {"record": self.api_call,
                            "create": {"endpoint": "leads", "status_code": 201}},
            "pi.sms.provider": {"record": self.sms_provider, "create": {"name": "eSMS thử", "active": False}},
            "pi.sent.message": {"record": self.sent_message, "create": {"summary": "Dòng giả"}},
            "pi.greeting.occasion": {"record": self.greeting, "create": {
                "name": "Ngày Phụ nữ Việt Nam", "day": 20, "month": 10,
                "sms_template_id": self.env.ref("pi_crm.sms_template_greeting_new_year").id}},
            "pi.job.status": {"record": self.env["pi.job.status"].search(
                [("cron_id", "=", self.env.ref("pi_crm.ir_cron_send_greetings").id)]),
                "create": {"cron_id": self.env.ref("pi_crm.ir_cron_send_greetings").id}},
            "pi.sales.document": {"record": self.sales_document, "create": {
                "name": "Hợp đồng mẫu", "kind": "contract_sample", "file": "JVBERi0xLjQ=", "file_name": "mau.pdf"}},
            "mailing.mailing": {"record": self.mailing, "create": {
                "subject": "Mới", "mailing_model_id": self.env["ir.model"]._get("res.partner").id}},
            "mailing.filter": {"record": self.env.ref("pi_crm.mailing_filter_lead_new"), "create": {
                "name": "Lọc mới", "mailing_model_id": self.env["ir.model"]._get("crm.lead").id,
                "mailing_domain": "[]"}},
            "utm.campaign": {"record": self.campaign, "create": {"title": "Chiến dịch mới", "pi_budget": 5}},
            "pi.greeting.log": {"record": self.greeting_log, "create": {
                "partner_id": self.customer.id, "occasion_id": self.greeting.id, "year": 2028, "date": "2028-03-15",
                "state": "sent"}},
            "pi.consent": {"record": self.consent, "create": {
                "partner_id": self.customer.id, "channel": "sms", "purpose": "care"}},
            "pi.province.update": {"create": {"scope": "selected"}},
        }

    def _write_values(self):
        return {
            "name": "Đã sửa", "email": "da.sua@example.vn", "pi_score": 999, "pi_segment": "loyal",
            "pi_class": "potential", "pi_stars": "5", "summary": "Đã sửa", "points": 7, "min_points": 1,
            "contact_name": "Đã sửa", "endpoint": "pbx", "brandname": "PASSION", "api_key": "khoa", "dlr_token": "ma",
            "audience": "investors", "state": "failed", "reason": "Đã sửa", "last_error": "Đã sửa", "pi_nurture": True,
            "evidence": "Đã sửa",
            "pi_care": {"pi_last_open_date": "2026-11-30 10:00:00", "pi_needs_care": True, "pi_open_count": 3},
            "subject": "Đã sửa", "body_code": {"body_html": "<p t-out=\"object.env.cr.dbname\"></p>"},
            "title": "Đã sửa", "pi_budget": 1, "pi_actual_cost": 2,
        }

    def test_permission_matrix(self):
        self.run_matrix(ROLES, MATRIX)

    def test_every_pi_crm_model_has_rows(self):
        self.assert_every_model_has_rows("pi_crm", MATRIX, also={
            "res.partner", "crm.lead", "pi.integration.key.show", "mailing.mailing", "mailing.filter", "utm.campaign"})
