{
    "name": "PI Investor Portal",
    "summary": "Investors follow their own investments in the Odoo portal",
    "version": "18.0.1.0.0",
    "category": "Passion Investment",
    "author": "Passion Investment",
    "website": "https://passioninvestment.vn",
    "license": "LGPL-3",
    "depends": ["pi_contracts", "portal", "auth_totp_portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/pi_portal_request_security.xml",
        "security/pi_investment_statement_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "views/pi_portal_request_views.xml",
        "views/pi_investment_contract_views.xml",
        "views/res_config_settings_views.xml",
        "views/pi_portal_templates.xml",
        "views/pi_portal_menus.xml",
    ],
    "demo": ["demo/pi_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "pi_portal/static/src/scss/pi_portal.scss",
        ],
        "web.assets_tests": [
            "pi_portal/static/tests/tours/*.js",
        ],
    },
}
