#!/usr/bin/env python3
"""Benchmark of the investor portal against Odoo's own portal home (not a test: figures to read).

    PGHOST=127.0.0.1 PGPORT=5433 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_portal.py

1. creates its own database (``--db``, default ``pi_bench_portal``) with pi_portal and no
   demo data; one investor (a portal user) with ``--contracts`` active contracts (50 by
   default) on a product with a weekly NAV;
2. starts an Odoo server on loopback (``--workers``), logs the investor in, and requests,
   interleaved by the same client, ``--requests`` times each: stock's ``/my`` (Odoo's own
   portal home: the reference), PI's list ``/my/investments`` and one of the investor's
   contract pages ``/my/investments/<id>``;
3. prints p50/p99 of each and the ratios against ``/my`` (goal: p99 <= 2x), through
   ``bench/ratio.py``; stops the server and drops the database (``--keep-db`` to keep it).
"""

import argparse
import datetime
import random
import time

import requests
from benchlib import PG, create_db, drop_db, fmt, odoo_args, percentiles, say, start_server, stop_server
from ratio import RatioTable

LOGIN = PASSWORD = "bench_investor"


def populate(db, count):
    """One investor with ``count`` active contracts; returns the contracts' ids."""
    import odoo  # noqa: PLC0415 - only the set-up needs Odoo in-process
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*odoo_args(db), "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        consultant = env["res.users"].create({
            "name": "Tư vấn Bench", "login": "bench_consultant", "password": "bench_consultant",
            "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("pi_crm.group_pi_consultant").id])]})
        partner = env["res.partner"].create({
            "name": "Nhà đầu tư Bench", "mobile": "+84912000123", "email": "ndt.bench@example.vn",
            "user_id": consultant.id, "lang": "vi_VN" if env["res.lang"]._lang_get("vi_VN") else "en_US"})
        env["res.users"].create({"name": partner.name, "login": LOGIN, "password": PASSWORD,
                                 "partner_id": partner.id, "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        if not env["pi.fee.tier"].search_count([]):
            env["pi.fee.tier"].create({"name": "Phí 20%", "rate": 20.0, "min_principal": 0})
        product = env["pi.investment.product"].create(
            {"name": "BCC Bench 12 tháng", "code": "BENCH12", "kind": "bcc", "term_months": 12})
        start = datetime.date.today() - datetime.timedelta(days=400)
        env["pi.product.performance"].create([
            {"product_id": product.id, "date": start + datetime.timedelta(weeks=week),
             "nav_index": round(1 + 0.0025 * week, 6)} for week in range(60)])
        contracts = env["pi.investment.contract"].create([
            {"partner_id": partner.id, "product_id": product.id, "principal": 100_000_000 * (1 + index % 9),
             "date_start": datetime.date.today() - datetime.timedelta(days=7 * index), "user_id": consultant.id}
            for index in range(count)])
        contracts.action_activate()
        cr.commit()
        ids = contracts.ids
    odoo.sql_db.close_all()
    return ids


def bench(port, db, contract_ids, count):
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.trust_env = False
    response = session.post(f"{base}/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": LOGIN, "password": PASSWORD}}, timeout=30)
    if not response.json().get("result", {}).get("uid"):
        raise SystemExit(f"investor login failed: {response.text[:500]}")
    rng = random.Random(3)
    pages = {"home": lambda: "/my", "list": lambda: "/my/investments",
             "contract": lambda: f"/my/investments/{rng.choice(contract_ids)}"}
    for _ in range(10):  # warm up workers, registries, caches
        for path in pages.values():
            session.get(base + path(), timeout=30)
    timings = {name: [] for name in pages}
    errors = 0
    for _index in range(count):
        for name, path in pages.items():
            started = time.perf_counter()
            response = session.get(base + path(), timeout=30)
            timings[name].append((time.perf_counter() - started) * 1000)
            errors += response.status_code != 200 or "/web/login" in response.url
    return {name: percentiles(samples) for name, samples in timings.items()}, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_portal")
    parser.add_argument("--contracts", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300, help="requests of each page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18792)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a short run: 40 requests of each page")
    parser.add_argument("--template", help="copy this database (addons installed) instead of installing pi_portal")
    args = parser.parse_args()
    if args.quick:
        args.requests = 40

    create_db(args.db, "pi_portal", args.template)
    server = None
    try:
        contract_ids = populate(args.db, args.contracts)
        server = start_server(args.db, args.port, args.workers)
        say(f"portal pages, {args.requests} requests each, interleaved, one investor with {args.contracts} contracts")
        stats, errors = bench(args.port, args.db, contract_ids, args.requests)
    finally:
        if server:
            stop_server(server)
        if not args.keep_db:
            drop_db(args.db)

    print()
    print(f"Server with {args.workers} workers on loopback, client on the same machine; PostgreSQL {PG['host']}")
    for name, label in (("home", "/my (stock portal home)"), ("list", "/my/investments"),
                        ("contract", "/my/investments/<id>")):
        print(f"  {label:28} {fmt(stats[name])}")
    print(f"  errors: {errors}")
    table = RatioTable("investor portal")
    for name, label in (("list", "list page"), ("contract", "contract page")):
        table.add(f"portal {label} p50, {args.contracts} contracts", stats[name]["p50"], stats["home"]["p50"],
                  reference_name="stock /my home")
        table.add(f"portal {label} p99, {args.contracts} contracts", stats[name]["p99"], stats["home"]["p99"],
                  goal="<= 2", reference_name="stock /my home")
    table.print()


if __name__ == "__main__":
    main()
