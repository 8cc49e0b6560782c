#!/usr/bin/env python3
"""Benchmark: "Tổng kết Sale" (pi.sales.summary) over 100,000 contracts and 1,000,000
interactions, against the same figures read through ``read_group`` one consultant at a time.

Not a test: run it by hand on a machine with Odoo 18 and PostgreSQL.

    PGHOST=127.0.0.1 PGPORT=5433 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_sales_summary.py --quick

It creates (once) its own database ``pi_bench_sales`` with pi_bonus installed without
demo data, inserts consultants (ORM), then investors, leads, interactions, contracts and
bonus lines with ``INSERT ... SELECT`` inside one transaction (the KPI triggers mark every
day they touch), runs the 10-minute job once (the days stored, as on a live database), then
makes a few changes through the ORM (interactions logged, leads reassigned, contracts
cancelled: their days are computed at read time), and times, in the same run:

- PI: ``action_export`` of the summary for the year as a manager (the workbook's bytes);
- reference: the consultant sheet's figures (leads by source and month, leads first
  contacted, interactions, new contracts and renewals by product, settlements, principal under
  management, provisional and official bonus) through ``read_group``, one consultant at
  a time, as a report written without SQL would read them;

checks both give the same figures, prints them with the ratio (goal: PI ≥ 10× faster,
under 30 s) and rolls the transaction back, so it can be run again.
Options: ``--quick`` (10,000 contracts, 100,000 interactions), ``--contracts N``,
``--interactions N``, ``--consultants N``, ``--db NAME``, ``--keep-data``, ``--profile``
(cProfile of ``action_export``).
"""

import argparse
import cProfile
import datetime
import os
import pstats
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import odoo_args  # noqa: E402  (bench/ is this script's directory)
from ratio import RatioTable  # noqa: E402

YEAR_FROM, YEAR_TO = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def ensure_database(db):
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(db))
    if odoo.service.db.exp_db_exist(db):
        return
    print(f"creating database {db} with pi_bonus (no demo data)...", flush=True)
    cmd = [sys.executable, "-c", "import sys, odoo.cli; sys.argv[0] = 'odoo'; odoo.cli.main()"] + odoo_args(db) + [
        "-i", "pi_bonus", "--without-demo", "all", "--stop-after-init", "--max-cron-threads", "0"]
    subprocess.run(cmd, check=True)


def insert_data(env, contracts, interactions, consultants):
    """Consultants (ORM), then everything else with one INSERT ... SELECT per table."""
    cr = env.cr
    consultant_group = env.ref("pi_crm.group_pi_consultant")
    run = int(time.time())  # logins and names of this run (a --keep-data run leaves its own behind)
    users = env["res.users"].with_context(no_reset_password=True).create([
        {"name": f"Tư vấn {run} {index:03d}", "login": f"bench_tv_{run}_{index:03d}",
         "groups_id": [(6, 0, [env.ref("base.group_user").id, consultant_group.id])]}
        for index in range(consultants)])
    manager = env["res.users"].with_context(no_reset_password=True).create({
        "name": f"Quản lý bench {run}", "login": f"bench_ql_{run}",
        "lang": "vi_VN" if env["res.lang"]._get_code("vi_VN") else "en_US",
        "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("pi_crm.group_pi_manager").id])]})
    team = env["crm.team"].create({"name": f"Bench {run}", "member_ids": [(6, 0, users.ids)]})
    products = env["pi.investment.product"].create([
        {"name": f"Bench {code}", "code": f"{code}-{run}", "term_months": 12} for code in ("B12", "B6", "F3")])
    sources = env["utm.source"].create([{"name": f"Bench nguồn {index}"} for index in range(6)])
    country = env.ref("base.vn")
    states = env["res.country.state"].search([("country_id", "=", country.id)], limit=20)
    if not states:
        states = env["res.country.state"].create([
            {"name": f"Tỉnh {index}", "code": f"B{index}", "country_id": country.id} for index in range(20)])
    env["pi.kpi.target"].create([
        {"user_id": user.id, "month": datetime.date(2026, month, 1), "target_lead_count": 30,
         "target_contract_count": 10, "target_principal": 5_000_000_000}
        for user in users for month in range(1, 13)])
    env.flush_all()
    params = {
        "users": users.ids, "n_users": len(users), "products": products.ids, "sources": sources.ids,
        "states": states.ids, "company": env.company.id, "currency": env.ref("base.VND").id,
        "contracts": contracts, "interactions": interactions, "partners": max(contracts // 3, 1),
        "leads": contracts, "uid": 1, "run": run,
    }
    started = time.perf_counter()
    # investors: a consultant, a province and a source each
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, active, type, is_company, user_id, state_id, country_id,
                                 pi_source_id, company_id, lang, pi_statement_channel, pi_statement_frequency,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'NĐT bench ' || g, 'NĐT bench ' || g, TRUE, 'contact', FALSE,
               (%(users)s::int[])[1 + g %% %(n_users)s], (%(states)s::int[])[1 + g %% 20], %(country)s,
               (%(sources)s::int[])[1 + g %% 6], %(company)s, 'vi_VN', 'none', 'none', 1, 1, now(), now()
          FROM generate_series(1, %(partners)s) g
        RETURNING id""", dict(params, country=country.id))
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
    params.update(p_first=min(partner_ids), p_count=len(partner_ids))
    # leads: assigned over the year, each to its partner's consultant
    cr.execute("""
        INSERT INTO crm_lead (name, contact_name, type, active, user_id, team_id, partner_id, source_id, company_id,
                              date_open, probability, create_uid, write_uid, create_date, write_date)
        SELECT 'Lead bench ' || %(run)s || ' ' || g, 'KH ' || g, 'lead', TRUE, p.user_id, %(team)s, p.id,
               p.pi_source_id, %(company)s,
               TIMESTAMP '2026-01-01 01:00' + (g %% 365) * INTERVAL '1 day' + (g %% 10) * INTERVAL '1 hour',
               10, 1, 1, now(), now()
          FROM generate_series(1, %(leads)s) g
          JOIN res_partner p ON p.id = %(p_first)s + g %% %(p_count)s""", dict(params, team=team.id))
    cr.execute("SELECT min(id), count(*) FROM crm_lead WHERE name LIKE 'Lead bench ' || %(run)s || ' %%'", params)
    params["l_first"], params["l_count"] = cr.fetchone()
    # interactions: on the leads, by their consultant, from a few hours to a few weeks after assignment
    cr.execute("""
        INSERT INTO pi_interaction (lead_id, partner_id, user_id, channel, direction, date, completed, intake,
                                    points, company_id, create_uid, write_uid, create_date, write_date)
        SELECT l.id, l.partner_id, l.user_id, 'call', 'out',
               l.date_open + (1 + g %% 500) * INTERVAL '1 hour', TRUE, g %% 50 = 0, 0, %(company)s, 1, 1, now(), now()
          FROM generate_series(1, %(interactions)s) g
          JOIN crm_lead l ON l.id = %(l_first)s + g %% %(l_count)s""", params)
    # each lead's first contact, as the ORM stores it (crm.lead.pi_first_contact_date)
    cr.execute("""
        UPDATE crm_lead l SET pi_first_contact_date = f.first_date
          FROM (SELECT lead_id, MIN(date) AS first_date FROM pi_interaction
                 WHERE intake IS NOT TRUE AND lead_id >= %(l_first)s GROUP BY lead_id) f
         WHERE l.id = f.lead_id""", params)
    # contracts: activated over the year; one in 8 a renewal, one in 6 settled, a few cancelled
    cr.execute("""
        INSERT INTO pi_investment_contract
            (name, company_id, currency_id, partner_id, product_id, product_kind, user_id, state, principal,
             date_start, term_months, date_end, base_rate, fee_rate, date_activated, date_settled,
             create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || %(run)s || '/' || g, %(company)s, %(currency)s, p.id, (%(products)s::int[])[1 + g %% 3],
               'bcc', p.user_id,
               CASE WHEN g %% 6 = 0 THEN 'settled' WHEN g %% 97 = 0 THEN 'cancelled' ELSE 'active' END,
               100000000 + (g %% 40) * 25000000,
               DATE '2026-01-01' + (g %% 360), 12, DATE '2026-01-01' + (g %% 360) + INTERVAL '12 months',
               6, 20, DATE '2026-01-01' + (g %% 360),
               CASE WHEN g %% 6 = 0 THEN LEAST(DATE '2026-01-01' + (g %% 360) + 30, DATE '2026-12-31') END,
               1, 1, now(), now()
          FROM generate_series(1, %(contracts)s) g
          JOIN res_partner p ON p.id = %(p_first)s + g %% %(p_count)s""", params)
    cr.execute("""
        UPDATE pi_investment_contract c SET renewed_from_id = c.id - 1
         WHERE c.name LIKE 'BENCH/' || %(run)s || '/%%' AND c.id %% 8 = 0""", params)
    # bonus lines: one per contract not cancelled, official for one in three
    cr.execute("""
        INSERT INTO pi_bonus_line (contract_id, partner_id, user_id, is_renewal, principal, rate, amount, state,
                                   date_provisional, date_official, company_id, create_uid, write_uid,
                                   create_date, write_date)
        SELECT c.id, c.partner_id, c.user_id, c.renewed_from_id IS NOT NULL, c.principal, 0.5,
               round(c.principal * 0.005), CASE WHEN c.id %% 3 = 0 THEN 'official' ELSE 'provisional' END,
               c.date_activated, CASE WHEN c.id %% 3 = 0 THEN c.date_activated + 10 END, c.company_id,
               1, 1, now(), now()
          FROM pi_investment_contract c WHERE c.name LIKE 'BENCH/' || %(run)s || '/%%' AND c.state <> 'cancelled'""",
               params)
    cr.execute("ANALYZE")
    print(f"data inserted in {time.perf_counter() - started:.1f} s: {len(users)} consultants, "
          f"{params['partners']:,} investors, {params['leads']:,} leads, {interactions:,} interactions, "
          f"{contracts:,} contracts", flush=True)
    env.invalidate_all()
    return users, manager


def recent_changes(env, users):
    """What happened since the job last ran, through the ORM: interactions logged and a
    lead reassigned a second ago, a contract cancelled; the report computes their days
    now, and both sides must count them."""
    Interaction = env["pi.interaction"]
    leads = env["crm.lead"].search([("user_id", "in", users[:3].ids)], limit=6, order="id")
    for lead in leads:
        Interaction.with_user(lead.user_id).create({"lead_id": lead.id, "channel": "call", "direction": "out"})
    leads[:2].write({"user_id": users[-1].id})
    env["pi.investment.contract"].search([("user_id", "in", users[:3].ids), ("state", "=", "active")],
                                         limit=2)._write_from_action({"state": "cancelled"})
    env.flush_all()
    env.cr.execute("SELECT count(DISTINCT (user_id, date)) FROM pi_kpi_daily_dirty")
    print(f"recent changes: {len(leads)} interactions logged, 2 leads reassigned, 2 contracts cancelled: "
          f"{env.cr.fetchone()[0]} consultant-days computed at read time", flush=True)


def explain_report(env):
    """The plan of the KPI rows of the year, as the summary reads them (``--profile``)."""
    from odoo.tools import SQL  # noqa: PLC0415
    query = env["pi.kpi.report"]._table_query
    env.cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM (%s) r WHERE r.date BETWEEN %s AND %s",
                       query, YEAR_FROM, YEAR_TO))
    print("\n".join(row[0] for row in env.cr.fetchall()), flush=True)


def utc_bounds(date_from, date_to):
    """PI's days (UTC+7) as UTC datetimes, for the reference's domains on datetime fields."""
    offset = datetime.timedelta(hours=7)
    return (datetime.datetime.combine(date_from, datetime.time.min) - offset,
            datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min) - offset)


def reference_figures(env, users, date_from, date_to):
    """The consultant sheet's figures through read_group, one consultant at a time."""
    start, end = utc_bounds(date_from, date_to)
    Lead, Interaction = env["crm.lead"], env["pi.interaction"]
    Contract, Bonus = env["pi.investment.contract"], env["pi.bonus.line"]
    figures = {}
    for user in users:
        leads = Lead._read_group([("user_id", "=", user.id), ("date_open", ">=", start), ("date_open", "<", end)],
                                 ["source_id", "date_open:month"], ["__count"])
        consulted = Lead.search_count([("user_id", "=", user.id), ("pi_first_contact_date", ">=", start),
                                       ("pi_first_contact_date", "<", end)])
        interactions = Interaction._read_group(
            [("user_id", "=", user.id), ("intake", "=", False), ("date", ">=", start), ("date", "<", end)],
            ["date:month"], ["__count"])
        activated = Contract._read_group(
            [("user_id", "=", user.id), ("state", "not in", ("draft", "cancelled")),
             ("date_activated", ">=", date_from), ("date_activated", "<=", date_to)],
            ["product_id", "renewed_from_id"], ["__count", "principal:sum"])
        settled = Contract._read_group(
            [("user_id", "=", user.id), ("state", "=", "settled"), ("date_settled", ">=", date_from),
             ("date_settled", "<=", date_to)], [], ["__count"])
        managed = Contract._read_group(
            [("user_id", "=", user.id), ("state", "not in", ("draft", "cancelled")),
             ("date_activated", "<=", date_to), "|", ("date_settled", "=", False), ("date_settled", ">", date_to)],
            [], ["principal:sum"])
        provisional = Bonus._read_group(
            [("user_id", "=", user.id), ("state", "=", "provisional"), ("date_provisional", ">=", date_from),
             ("date_provisional", "<=", date_to)], [], ["amount:sum"])
        official = Bonus._read_group(
            [("user_id", "=", user.id), ("state", "=", "official"), ("date_official", ">=", date_from),
             ("date_official", "<=", date_to)], [], ["amount:sum"])
        figures[user.name] = (
            sum(count for _source, _month, count in leads), consulted,
            sum(count for _month, count in interactions),
            sum(count for _product, renewed, count, _principal in activated if not renewed),
            sum(principal for _product, renewed, _count, principal in activated if not renewed),
            sum(count for _product, renewed, count, _principal in activated if renewed),
            settled[0][0], managed[0][0] or 0, provisional[0][0] or 0, official[0][0] or 0,
        )
    return figures


def run(db, contracts, interactions, consultants, keep_data=False, profile=False):
    import base64  # noqa: PLC0415
    import io  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(db))
    registry = odoo.modules.registry.Registry(db)
    table = RatioTable("sales summary (Tổng kết Sale)")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users, manager = insert_data(env, contracts, interactions, consultants)
        started = time.perf_counter()
        env["pi.kpi.report"]._cron_fold_changes()
        print(f"daily KPI figures stored (the 10-minute job, once) in {time.perf_counter() - started:.1f} s",
              flush=True)
        recent_changes(env, users)
        manager_env = env(user=manager.id)
        wizard = manager_env["pi.sales.summary"].create({"date_from": YEAR_FROM, "date_to": YEAR_TO})
        queries_before = cr.sql_log_count
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        wizard.action_export()
        pi_seconds = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            explain_report(env)
        queries = cr.sql_log_count - queries_before
        content = base64.b64decode(wizard.file)
        manager_env.invalidate_all()
        started = time.perf_counter()
        reference = reference_figures(manager_env, manager_env["res.users"].browse(users.ids), YEAR_FROM, YEAR_TO)
        reference_seconds = time.perf_counter() - started
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        in_file = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
        mismatches = []
        for name, expected in reference.items():
            row = in_file.get(name)
            got = (row[1], row[2], row[3], row[5], row[6], row[7], row[8], row[10], row[11], row[12]) if row else None
            if got != tuple(expected):
                mismatches.append((name, got, expected))
        print(f"workbook: {len(content):,} bytes, {len(in_file) - 1} consultants, {queries} queries; "
              f"figures equal to read_group's: {'yes' if not mismatches else 'NO'}", flush=True)
        for mismatch in mismatches[:5]:
            print("  mismatch:", mismatch)
        table.add("summary workbook vs read_group per consultant", pi_seconds * 1000, reference_seconds * 1000,
                  goal=">= 10", unit="ms", ratio="ref/pi",
                  reference_name=f"read_group × {len(users)} consultants",
                  note=f"{contracts:,} contracts, {interactions:,} interactions")
        print(f"time to the file: {pi_seconds:.2f} s (goal < 30 s: {'met' if pi_seconds < 30 else 'NOT met'})")
        table.print()
        if keep_data:
            cr.commit()  # to look at the plans afterwards (--keep-data)
        else:
            cr.rollback()
    return not mismatches


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_sales")
    parser.add_argument("--quick", action="store_true", help="10,000 contracts and 100,000 interactions")
    parser.add_argument("--contracts", type=int)
    parser.add_argument("--interactions", type=int)
    parser.add_argument("--consultants", type=int, default=60)
    parser.add_argument("--keep-data", action="store_true", help="commit the data instead of rolling it back")
    parser.add_argument("--profile", action="store_true", help="print where action_export spends its time (cProfile)")
    options = parser.parse_args()
    contracts = options.contracts or (10_000 if options.quick else 100_000)
    interactions = options.interactions or (100_000 if options.quick else 1_000_000)
    ensure_database(options.db)
    sys.exit(0 if run(options.db, contracts, interactions, options.consultants, options.keep_data,
                     options.profile) else 1)


if __name__ == "__main__":
    main()
