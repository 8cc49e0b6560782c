{
    "name": "PI Bonus",
    "summary": "Consultants' bonus rules; bonuses per contract, tasks, KPIs and sales reports come later",
    "version": "18.0.1.0.0",
    "category": "Passion Investment",
    "author": "Passion Investment",
    "website": "https://passioninvestment.vn",
    "license": "LGPL-3",
    "depends": ["pi_contracts"],
    "data": [
        "security/ir.model.access.csv",
        "data/pi_bonus_rule_data.xml",
        "views/pi_bonus_rule_views.xml",
        "views/pi_bonus_menus.xml",
    ],
}
