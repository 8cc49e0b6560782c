{
    "name": "PI Investor Portal",
    "summary": "Investors follow their own investments in the Odoo portal",
    "version": "18.0.1.0.0",
    "category": "Passion Investment",
    "author": "Passion Investment",
    "website": "https://passioninvestment.vn",
    "license": "LGPL-3",
    "depends": ["pi_contracts", "portal"],
    "data": [],
    "installable": True,
}
