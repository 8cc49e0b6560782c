{
    "name": "PI Contracts",
    "summary": "BCC investment contracts: products, rates, settlement, renewal, performance",
    "version": "18.0.1.0.0",
    "category": "Passion Investment",
    "author": "Passion Investment",
    "website": "https://passioninvestment.vn",
    "license": "LGPL-3",
    "depends": ["pi_crm"],
    "data": [],
    "installable": True,
}
