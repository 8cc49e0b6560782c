import datetime

from odoo.addons.pi_contracts.tests.common import PiContractsCommon


class PiBonusCommon(PiContractsCommon):
    """PiContractsCommon's fixture, with PI's bonus rules of the test (per company):

        from 0 đ            0,5 %
        from 1.000.000.000  0,8 %
        from 5.000.000.000  1,0 %

    contract_lan (500.000.000 đ, Lan's customer Hùng) and contract_minh (1.500.000.000 đ,
    Minh's customer Tuấn) are drafts; ``_contract`` makes more for Hùng.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["pi.bonus.rule"]
        Rule.search([]).active = False
        cls.rule_standard = Rule.create({"name": "Thưởng chuẩn", "min_principal": 0, "rate": 0.5})
        cls.rule_large = Rule.create({"name": "Thưởng hợp đồng lớn", "min_principal": 1_000_000_000, "rate": 0.8})
        cls.rule_very_large = Rule.create({"name": "Thưởng hợp đồng rất lớn", "min_principal": 5_000_000_000,
                                           "rate": 1.0})
        cls.investor_user = cls.env["res.users"].create({
            "name": cls.investor_hung.name, "login": "pb_portal_hung", "partner_id": cls.investor_hung.id,
            "groups_id": [(6, 0, cls.env.ref("base.group_portal").ids)]})
        cls.public_user = cls.env.ref("base.public_user")

    @classmethod
    def _contract(cls, principal, partner=None, **values):
        return cls.env["pi.investment.contract"].create({
            "partner_id": (partner or cls.investor_hung).id, "product_id": cls.product.id,
            "principal": principal, "date_start": datetime.date(2026, 1, 1), **values})

    @staticmethod
    def _line(contract):
        return contract.env["pi.bonus.line"].sudo().search([("contract_id", "in", contract.ids)])
