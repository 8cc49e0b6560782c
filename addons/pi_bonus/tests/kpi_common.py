import datetime

from freezegun import freeze_time

from odoo.addons.pi_contracts.tests.common import PiContractsCommon, create_pi_user


def utc(text):
    return datetime.datetime.fromisoformat(text)


class PiKpiCommon(PiContractsCommon):
    """A known month of sales (March 2026), in PI's time (UTC+7), for the team "Đội test KPI"
    (Lan and Minh; Bình is in another team):

        Lan   lead_a assigned 02/03 09:00, first call 13:00 (4 h), another call 03/03 09:00
              lead_b assigned 02/03 10:00, first call 03/03 00:30 (14.5 h: PI's 3 March)
              lead_c assigned 02/03, never consulted (her queue)
              contract_lan (500.000.000 đ) activated 02/03, renewed on 25/03 (a renewal for Lan)
              target March: 4 leads, 2 contracts, 1.000.000.000 đ
              bonus lines (0,5 %): contract_lan's 2.500.000 đ, official with the scan on 10/03; the
              renewal's, provisional from 25/03; a 1.800.000.000 đ contract activated 05/03 and
              cancelled 06/03 (its 14.400.000 đ line cancelled)
        Minh  lead_m assigned 03/03 08:00, only its intake record (not consulted)
              contract_minh (1.500.000.000 đ) activated 03/03, settled 20/03
        Bình  contract_binh (700.000.000 đ) activated 05/03, in the other team, ends in 20 days
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_binh = create_pi_user(cls.env, "consultant", "pk_tv_binh", "Đỗ Thanh Bình",
                                             email="binh@pi.example.vn")
        Team = cls.env["crm.team"]
        cls.team = Team.create({"name": "Đội test KPI", "member_ids": [(6, 0, (cls.consultant_lan
                                                                          | cls.consultant_minh).ids)]})
        cls.other_team = Team.create({"name": "Đội khác", "member_ids": [(6, 0, cls.consultant_binh.ids)]})
        cls.province = cls.env["res.country.state"].search([("country_id.code", "=", "VN")], limit=1) or \
            cls.env["res.country.state"].create({"name": "Hà Nội", "code": "HNT",
                                                 "country_id": cls.env.ref("base.vn").id})
        cls.source = cls.env["utm.source"].create({"name": "Nguồn test KPI"})
        cls.investor_hung.write({"state_id": cls.province.id, "pi_source_id": cls.source.id})
        Lead = cls.env["crm.lead"]

        def lead(name, user, assigned):
            record = Lead.create({"name": name, "contact_name": name, "user_id": user.id, "type": "lead",
                                  "source_id": cls.source.id})
            record.write({"date_open": utc(assigned)})
            return record

        cls.lead_a = lead("Anh Khoa", cls.consultant_lan, "2026-03-02 02:00:00")
        cls.lead_b = lead("Chị Mai", cls.consultant_lan, "2026-03-02 03:00:00")
        cls.lead_c = lead("Anh Tâm", cls.consultant_lan, "2026-03-02 04:00:00")
        cls.lead_m = lead("Anh Dũng", cls.consultant_minh, "2026-03-03 01:00:00")
        Interaction = cls.env["pi.interaction"]
        Interaction.create([
            {"lead_id": cls.lead_a.id, "user_id": cls.consultant_lan.id, "date": utc("2026-03-02 06:00:00")},
            {"lead_id": cls.lead_a.id, "user_id": cls.consultant_lan.id, "date": utc("2026-03-03 02:00:00")},
            {"lead_id": cls.lead_b.id, "user_id": cls.consultant_lan.id, "date": utc("2026-03-02 17:30:00")},
            {"lead_id": cls.lead_m.id, "user_id": cls.consultant_minh.id, "date": utc("2026-03-03 01:00:00"),
             "intake": True},
        ])
        cls.env["pi.kpi.target"].create({
            "user_id": cls.consultant_lan.id, "month": "2026-03-17", "target_lead_count": 4,
            "target_contract_count": 2, "target_principal": 1_000_000_000})
        with freeze_time("2026-03-02 03:00:00"):
            cls.contract_lan.action_activate()
        with freeze_time("2026-03-03 03:00:00"):
            cls.contract_minh.action_activate()
        with freeze_time("2026-03-20 03:00:00"):
            cls.contract_minh._settle("2026-03-20")
        with freeze_time("2026-03-25 03:00:00"):
            cls.renewal_lan = cls.contract_lan._create_renewal(
                {"product_id": cls.product.id, "date_start": datetime.date(2026, 3, 25), "term_months": 12},
                "rollover")
            cls.contract_lan._complete_renewal()
        investor_binh = cls.env["res.partner"].create({"name": "Vũ Thị Hoa", "user_id": cls.consultant_binh.id,
                                                       "mobile": "+84903111222"})
        cls.contract_binh = cls.env["pi.investment.contract"].create({
            "partner_id": investor_binh.id, "product_id": cls.product.id, "principal": 700_000_000,
            "date_start": datetime.date.today() - datetime.timedelta(days=345)})
        with freeze_time("2026-03-05 03:00:00"):
            cls.contract_binh.action_activate()
        # bonus lines come from the contracts' actions only (pi.bonus.line refuses hand-made ones)
        with freeze_time("2026-03-10 03:00:00"):
            cls.contract_lan.scanned_original = True
        cls.contract_lan_cancelled = cls.env["pi.investment.contract"].create({
            "partner_id": cls.contract_lan.partner_id.id, "product_id": cls.product.id, "principal": 1_800_000_000,
            "date_start": datetime.date(2026, 3, 5)})
        with freeze_time("2026-03-05 03:00:00"):
            cls.contract_lan_cancelled.action_activate()
        with freeze_time("2026-03-06 03:00:00"):
            cls.contract_lan_cancelled.with_user(cls.pi_admin).action_cancel()
        cls.env.flush_all()

    def kpi(self, user, domain=(), groupby=("user_id",), date_from="2026-03-01", date_to="2026-03-31"):
        """The KPI report's March figures as ``user`` reads them: {group: {measure: value}}."""
        measures = ["lead_count", "consulted_count", "interaction_count", "contract_count", "principal",
                    "renewal_count", "settlement_count", "target_principal"]
        ratios = ["first_response_hours:avg", "conversion_rate:avg", "principal_achievement:avg"]
        groups = self.env["pi.kpi.report"].with_user(user)._read_group(
            [("date", ">=", date_from), ("date", "<=", date_to), *domain], list(groupby),
            [f"{name}:sum" for name in measures] + ratios)
        names = measures + [spec.split(":")[0] for spec in ratios]
        return {group[0] if len(groupby) == 1 else group[:len(groupby)]:
                dict(zip(names, group[len(groupby):], strict=True)) for group in groups}
