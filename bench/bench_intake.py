#!/usr/bin/env python3
"""Benchmark of the intake API on a large base (not a test: figures to read).

    PGHOST=127.0.0.1 PGPORT=5433 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_intake.py

1. creates its own database (``--db``, default ``pi_bench_intake``) with pi_crm
   and no demo data, and bulk-inserts ``--partners`` customers and ``--leads``
   leads (100,000 each by default) with their phone columns filled as Odoo
   would (formatted number + E.164 ``phone_sanitized``; one customer in ten
   also has a landline, stored in ``pi_phone_other_sanitized``);
2. in-process: times the phone lookup the intake API does (equality on the
   indexed E.164 columns) against stock ``phone_mobile_search`` (``=`` and
   ``ilike``, what the list-view search does), on the same numbers;
3. starts an Odoo server on loopback (``--workers``) serving only its database
   (``--database`` without ``--db-filter``, as ``odoo.conf`` does) and measures
   ``POST /pi/api/v1/pbx/incoming`` latency (sequential calls, one every
   ``--pbx-interval-ms`` as a switchboard would send them, then back to back;
   p50/p99) and
   ``POST /pi/api/v1/leads`` throughput (``--threads`` clients, half new
   people, half duplicates that merge) with the CPU a submission costs the
   Odoo server, PostgreSQL and the client;
4. stops the server and drops the database (``--keep-db`` to keep it).

Every loop is bounded by a request count. The figures are ratios against a
reference measured in the same run (``bench/ratio.py``): the lookup against stock
``phone_mobile_search ilike`` (goal >= 20x faster) and against the floor, the same
SQL over a plain psycopg2 connection (goal <= 2x); the switchboard answer's p99
against a keyed call refused with 401 by the same client and workers: the key's
prefix with a wrong secret, so that the key check runs (goal <= 1.25x; a malformed
key, refused before any query, and stock ``/web/health`` shown too); the lead throughput against stock
Odoo's own path for the job, JSON-RPC ``crm.lead`` search by phone and e-mail then
``create``/``write`` (goal >= 2x). ``--quick``: small sizes, a short run.
"""

import argparse
import concurrent.futures
import functools
import os
import random
import resource
import sys
import threading
import time

import psutil
import psycopg2
import requests
from benchlib import (
    ODOO_ROOT,
    PG,
    create_db,
    drop_db,
    fmt,
    odoo_args,
    percentiles,
    say,
    start_server,
    stop_server,
)
from ratio import RatioTable


# ------------------------------------------------------------------ numbers
def partner_mobile(index):   # +84 90x: 100,000 distinct valid mobiles
    return f"+8490{index:07d}"


def partner_landline(index):  # Hà Nội landline 024 3xxx xxxx
    return f"+84243{index:07d}"


def lead_phone(index):       # +84 91x
    return f"+8491{index:07d}"


def national(e164):
    """How a PBX or a form writes it: 0 + national number, with spaces."""
    digits = "0" + e164[3:]
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def international(e164):
    """How Odoo's onchange stores it: '+84 90 0000001'."""
    return f"{e164[:3]} {e164[3:5]} {e164[5:]}"


# ------------------------------------------------------------------ database
def _default_required_columns(cr, table):
    """Other addons installed (a template database with all four) add required columns the
    bulk insert below does not fill: each gets, as its column default, the value an
    existing row has (what Odoo's own default gave it)."""
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""", [table])
    for (column,) in cr.fetchall():
        cr.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL LIMIT 1')  # noqa: S608
        row = cr.fetchone()
        if row:
            cr.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT %s', row)


def populate(db, partners, leads):
    say(f"bulk insert: {partners} partners, {leads} leads")
    started = time.monotonic()
    with psycopg2.connect(dbname=db, **PG) as conn, conn.cursor() as cr:
        for table in ("res_partner", "crm_lead"):
            _default_required_columns(cr, table)
        cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
        company_id = cr.fetchone()[0]
        cr.execute("SELECT id FROM res_country WHERE code = 'VN'")
        vn_id = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, type, active, is_company, lang, country_id,
                                     mobile, phone, phone_sanitized, pi_phone_other_sanitized,
                                     email, email_normalized, create_date, write_date, create_uid, write_uid)
            SELECT 'Khách hàng ' || i, 'Khách hàng ' || i, 'contact', true, false, 'en_US', %(vn)s,
                   '+84 90 ' || lpad(i::text, 7, '0'),
                   CASE WHEN i %% 10 = 0 THEN '+84 24 3' || lpad(i::text, 7, '0') END,
                   '+8490' || lpad(i::text, 7, '0'),
                   CASE WHEN i %% 10 = 0 THEN '+84243' || lpad(i::text, 7, '0') END,
                   'khach' || i || '@example.vn', 'khach' || i || '@example.vn',
                   now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
              FROM generate_series(1, %(n)s) i
            """,
            {"vn": vn_id, "n": partners},
        )
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
        cr.execute(
            """
            INSERT INTO crm_lead (name, type, active, contact_name, phone, phone_sanitized, email_from,
                                  email_normalized, company_id, country_id, priority, probability,
                                  create_date, write_date, create_uid, write_uid)
            SELECT 'Lead ' || i, 'lead', true, 'Người quan tâm ' || i,
                   '+84 91 ' || lpad(i::text, 7, '0'), '+8491' || lpad(i::text, 7, '0'),
                   'lead' || i || '@example.vn', 'lead' || i || '@example.vn', %(company)s, %(vn)s, '0', 10,
                   now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
              FROM generate_series(1, %(n)s) i
            """,
            {"company": company_id, "vn": vn_id, "n": leads},
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE crm_lead")
    say(f"inserted in {time.monotonic() - started:.0f} s")


# ------------------------------------------------------------------ in-process
def lookup_comparison(db, partners, leads, samples):
    """Time our indexed lookup against stock phone_mobile_search, same numbers."""
    sys.path.insert(0, ODOO_ROOT)
    import odoo  # noqa: PLC0415 - only the bench needs Odoo in-process
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*odoo_args(db), "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    rng = random.Random(7)
    results = {}
    keys = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for kind in ("website", "pbx"):
            key = env["pi.integration.key"].create({"name": f"bench {kind}", "kind": kind, "rate_limit": 10**7})
            keys[kind] = key._generate_key()
        intake_user = env.ref("pi_crm.user_pi_intake")
        cr.commit()
        # the floor: the intake's own SQL over a plain psycopg2 connection, no ORM at all
        raw = psycopg2.connect(dbname=db, **PG)
        raw.autocommit = True
        raw_cr = raw.cursor()

        def floor(number, table):
            raw_cr.execute(f"SELECT id FROM {table} WHERE active AND (phone_sanitized = %s "  # noqa: S608
                           "OR pi_phone_other_sanitized = %s) ORDER BY id LIMIT 1", (number, number))
            return raw_cr.fetchone()

        for model, count, number in (("res.partner", partners, partner_mobile), ("crm.lead", leads, lead_phone)):
            Model = env[model].with_user(intake_user)
            numbers = [number(rng.randint(1, count)) for _ in range(samples)]
            methods = {
                "floor: raw SELECT over psycopg2": lambda n, M=Model: floor(n, M._table),
                "intake (E.164 index)": lambda n, M=Model: M._pi_search_phone(n),
                "intake domain via ORM search": lambda n, M=Model: M.search(M._pi_get_phone_domain(n), limit=1),
                "stock phone_mobile_search =": lambda n, M=Model: M.search([("phone_mobile_search", "=", n)], limit=1),
                "stock phone_mobile_search ilike": lambda n, M=Model: M.search(
                    [("phone_mobile_search", "ilike", n[3:])], limit=1),
            }
            # the methods take turns on each number (same numbers, same moment of the shared
            # machine), after a warm-up of each; p50 of each method's own samples
            for method in methods.values():
                for n in numbers[:20]:
                    method(n)
            timings = {label: [] for label in methods}
            found = dict.fromkeys(methods, 0)
            for n in numbers:
                for label, method in methods.items():
                    env.invalidate_all()
                    started = time.perf_counter()
                    found[label] += bool(method(n))
                    timings[label].append((time.perf_counter() - started) * 1000)
            for label in methods:
                results[(model, label)] = (percentiles(timings[label]), found[label])
            cr.rollback()
        raw.close()
        # an integrator without this suite: a user of the sales team with a password, over JSON-RPC
        env["res.users"].create({
            "name": "Bench integrator", "login": "bench_integrator", "password": "bench_integrator",
            "groups_id": [(6, 0, [env.ref("base.group_user").id,
                                  env.ref("sales_team.group_sale_salesman_all_leads").id])]})
        cr.commit()
        cr.execute(
            "EXPLAIN SELECT id FROM res_partner WHERE active AND "
            "(phone_sanitized = %s OR pi_phone_other_sanitized = %s) LIMIT 1",
            (partner_mobile(42), partner_mobile(42)),
        )
        plan = "\n".join(row[0] for row in cr.fetchall())
    breakdown = server_side_breakdown(odoo, registry, keys, partners, leads)
    odoo.sql_db.close_all()
    return results, keys, plan, breakdown


def server_side_breakdown(odoo, registry, keys, partners, leads, count=200):
    """The same requests through Odoo's WSGI application in-process: what the
    server spends, without HTTP client or network. A switchboard call answers
    first; its follow-up (history entry, live notice) runs when the response
    is closed, after the answer: both are timed, separately."""
    from werkzeug.test import Client  # noqa: PLC0415

    from odoo.addons.pi_crm.controllers import intake  # noqa: PLC0415

    client = Client(odoo.http.root)
    rng = random.Random(5)
    followup_ms = []
    run_followup = intake._run_followup_after_response

    def timed_followup(*args):
        started = time.perf_counter()
        run_followup(*args)
        followup_ms.append((time.perf_counter() - started) * 1000)

    def pbx(_index):
        caller = national(partner_mobile(rng.randint(1, partners)))
        return client.post("/pi/api/v1/pbx/incoming", json={"caller": caller},
                           headers={"X-PI-Key": keys["pbx"]}, buffered=False)

    def pbx_new(index):
        return client.post("/pi/api/v1/pbx/incoming", json={"caller": national(f"+8497{index:07d}")},
                           headers={"X-PI-Key": keys["pbx"]}, buffered=False)

    def lead_new(index):
        return client.post("/pi/api/v1/leads", json={"name": "Mới", "phone": national(f"+8494{index:07d}")},
                           headers={"X-PI-Key": keys["website"]})

    def lead_merge(_index):
        phone = national(lead_phone(rng.randint(1, leads)))
        return client.post("/pi/api/v1/leads", json={"name": "Trùng", "phone": phone},
                           headers={"X-PI-Key": keys["website"]})

    def no_key(_index):
        return client.post("/pi/api/v1/pbx/incoming", json={"caller": "0900000001"})

    def series(function, number):
        for index in range(10):
            function(10**6 + index).close()
        timings = []
        for index in range(number):
            started = time.perf_counter()
            response = function(index)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 201, 401)
            response.close()  # the WSGI close: runs a call's follow-up, after the answer
        return percentiles(timings)

    out = {"401 without key (request + audit row)": series(no_key, count)}
    intake._run_followup_after_response = timed_followup
    try:
        out["PBX known partner: answer"] = series(pbx, count)
        # the same calls' follow-ups, without the warm-up ones
        out["PBX known partner: follow-up after answer"] = percentiles(followup_ms[-count:])
        out["PBX unknown number: answer (creates lead)"] = series(pbx_new, count // 2)
    finally:
        intake._run_followup_after_response = run_followup
    out["leads, new person (201)"] = series(lead_new, count // 2)
    out["leads, duplicate phone (200 merged)"] = series(lead_merge, count // 2)
    return out


# ------------------------------------------------------------------ server
def client_session(key):
    """A plain HTTP client: no proxy or .netrc lookups from the environment on
    every request (they cost the client more than a millisecond each)."""
    session = requests.Session()
    session.trust_env = False
    session.headers.update({"X-PI-Key": key})
    return session


def bench_pbx(port, key, partners, leads, count, interval_ms=0):
    """Sequential calls; with ``interval_ms``, one request starts every so many
    milliseconds (a switchboard's pace) instead of back to back.

    Each PBX call is followed by its floors, by the same client on the same
    workers: stock ``GET /web/health`` and the same keyed call refused with 401:
    with the switchboard key's own prefix and a wrong secret (the request, the key
    check up to the hash comparison and the audit row, no lookup: the goal's
    reference), and with a malformed key (refused before any query; shown only).
    Interleaved, so that all of them see the same machine.
    """
    # the key's prefix (pi_<8 hex>_) with another secret: found by its prefix, refused by its hash
    wrong_key = key[:key.index("_", key.index("_") + 1) + 1] + "x" * 32
    url = f"http://127.0.0.1:{port}/pi/api/v1/pbx/incoming"
    health = f"http://127.0.0.1:{port}/web/health"
    session = client_session(key)
    rng = random.Random(11)

    def pick():
        roll = rng.random()
        if roll < 0.7:
            return national(partner_mobile(rng.randint(1, partners))), "partner"
        if roll < 0.8:
            return national(partner_landline(rng.randint(1, partners // 10) * 10)), "partner"
        return national(lead_phone(rng.randint(1, leads))), "lead"

    for _ in range(30):  # warm up workers, registries, caches
        session.post(url, json={"caller": pick()[0]}, timeout=10)
        session.get(health, timeout=10)
        session.post(url, json={"caller": pick()[0]}, headers={"X-PI-Key": wrong_key}, timeout=10)
        session.post(url, json={"caller": pick()[0]}, headers={"X-PI-Key": "pi_wrong_key"}, timeout=10)
    # call ids unique to this series: a known id is a switchboard's resend,
    # answered without a new history entry or notice
    series = f"bench-{interval_ms}-{random.SystemRandom().randrange(10**9)}"
    timings = {"pbx": [], "health": [], "refused": [], "malformed": []}
    wrong = 0
    next_start = time.perf_counter()

    def paced():
        nonlocal next_start
        if interval_ms:
            time.sleep(max(0.0, next_start - time.perf_counter()))
            next_start += interval_ms / 1000

    for index in range(count):
        caller, expected = pick()
        paced()
        started = time.perf_counter()
        response = session.post(url, json={"caller": caller, "call_id": f"{series}-{index}"}, timeout=10)
        timings["pbx"].append((time.perf_counter() - started) * 1000)
        wrong += response.status_code != 200 or response.json().get("match") != expected
        paced()
        started = time.perf_counter()
        response = session.get(health, timeout=10)
        timings["health"].append((time.perf_counter() - started) * 1000)
        wrong += response.status_code != 200
        for name, refused_key in (("refused", wrong_key), ("malformed", "pi_wrong_key")):
            paced()
            started = time.perf_counter()
            response = session.post(url, json={"caller": caller}, headers={"X-PI-Key": refused_key}, timeout=10)
            timings[name].append((time.perf_counter() - started) * 1000)
            wrong += response.status_code != 401
    return {name: percentiles(samples) for name, samples in timings.items()}, wrong


def cpu_seconds(server, db):
    """CPU time used so far by the Odoo server (its workers included), by the
    PostgreSQL backends serving ``db``, and by this process (the client)."""
    odoo_cpu = 0.0
    try:
        for process in [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]:
            times = process.cpu_times()
            odoo_cpu += times.user + times.system
    except psutil.Error:
        pass
    pg_cpu = 0.0
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if cmdline and cmdline[0].startswith("postgres:") and f" {db} " in cmdline[0]:
            try:
                times = process.cpu_times()
                pg_cpu += times.user + times.system
            except psutil.Error:
                pass
    own = resource.getrusage(resource.RUSAGE_SELF)
    return odoo_cpu, pg_cpu, own.ru_utime + own.ru_stime


def bench_leads(port, key, leads, count, threads, samples=None):
    url = f"http://127.0.0.1:{port}/pi/api/v1/leads"
    local = threading.local()
    statuses = {}
    lock = threading.Lock()
    timings = []
    # new people's numbers differ from one run to the next (a kept database
    # already holds the previous run's)
    first_new = random.SystemRandom().randrange(0, 9_000_000)

    def one(index):
        if not hasattr(local, "session"):
            local.session = client_session(key)
        if index % 2:  # a duplicate: an existing lead's phone, written another way -> merge
            payload = {"name": f"Trùng {index}", "phone": national(lead_phone(random.randint(1, leads)))}
        else:          # a new person
            number = first_new + index
            payload = {"name": f"Mới {index}", "phone": national(f"+8493{number:07d}"),
                       "email": f"moi{number}@example.vn", "interest": "invest", "amount": 100000000}
        started = time.perf_counter()
        response = local.session.post(url, json=payload, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            timings.append(elapsed)

    for index in range(20):  # warm up
        one(10**6 + index)
    statuses.clear()
    timings.clear()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    if samples is not None:
        samples.extend(timings)
    return count / wall, wall, statuses, percentiles(timings)


def bench_stock_leads(port, db, leads, count, threads):
    """Stock Odoo's own path for the same job, as an integrator without this suite would
    write it: over JSON-RPC (``/jsonrpc``, ``execute_kw`` as a sales user), a duplicate
    search by phone (stock ``phone_mobile_search ilike``) and e-mail, then ``crm.lead``
    ``write`` on a duplicate or ``create``. Same mix of payloads, clients and workers."""
    url = f"http://127.0.0.1:{port}/jsonrpc"
    local = threading.local()
    statuses = {}
    lock = threading.Lock()
    first_new = random.SystemRandom().randrange(0, 9_000_000)
    login = password = "bench_integrator"

    def call(service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
                   "params": {"service": service, "method": method, "args": list(args)}}
        body = local.session.post(url, json=payload, timeout=30).json()
        if "error" in body:
            raise RuntimeError(body["error"].get("data", {}).get("message") or body["error"])
        return body["result"]

    def one(index):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.trust_env = False
            local.uid = call("common", "login", db, login, password)
        if index % 2:
            phone, email = national(lead_phone(random.randint(1, leads))), None
            values = {"name": f"Trùng {index}", "phone": phone}
        else:
            number = first_new + index
            phone, email = national(f"+8492{number:07d}"), f"moi{number}@example.vn"
            values = {"name": f"Mới {index}", "contact_name": f"Mới {index}", "phone": phone, "email_from": email,
                      "description": "Quan tâm đầu tư, 100.000.000 đ"}
        digits = phone.replace(" ", "").lstrip("0")
        domain = [("phone_mobile_search", "ilike", digits)]
        if email:
            domain = ["|", ("email_normalized", "=", email), *domain]
        execute = functools.partial(call, "object", "execute_kw", db, local.uid, password, "crm.lead")
        try:
            found = execute("search", [domain], {"limit": 1})
            if found:
                execute("write", [found, {"description": values["name"]}])
                outcome = "merged"
            else:
                execute("create", [values])
                outcome = "created"
        except RuntimeError:
            outcome = "error"
        with lock:
            statuses[outcome] = statuses.get(outcome, 0) + 1

    for index in range(20):  # warm up
        one(10**6 + index)
    statuses.clear()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - started
    return count / wall, wall, statuses


# ------------------------------------------------------------------ main
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_intake")
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000, help="in-process lookups per method and model")
    parser.add_argument("--pbx-requests", type=int, default=1000)
    parser.add_argument("--pbx-interval-ms", type=int, default=50,
                        help="pace of the switchboard run: one call every N ms (20 calls/s by default)")
    parser.add_argument("--lead-requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients for the lead endpoint")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (2 x cores is usual)")
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: 10,000 + 10,000 records, 150 calls, 150 submissions")
    parser.add_argument("--template", help="copy this database (addons installed) instead of installing pi_crm")
    args = parser.parse_args()
    if args.quick:
        args.partners = args.leads = 10_000
        args.lookups, args.pbx_requests, args.lead_requests = 300, 150, 150

    create_db(args.db, "pi_crm", args.template)
    server = None
    try:
        populate(args.db, args.partners, args.leads)
        say(f"in-process lookup, {args.lookups} random numbers per model and method")
        results, keys, plan, breakdown = lookup_comparison(args.db, args.partners, args.leads, args.lookups)
        server = start_server(args.db, args.port, args.workers)
        say(f"PBX endpoint and its floors, {args.pbx_requests} calls each, one request every "
            f"{args.pbx_interval_ms} ms")
        pbx_all, pbx_wrong = bench_pbx(
            args.port, keys["pbx"], args.partners, args.leads, args.pbx_requests, args.pbx_interval_ms
        )
        pbx_stats = pbx_all["pbx"]
        say(f"PBX endpoint and its floors, {args.pbx_requests} calls each, back to back")
        burst_all, burst_wrong = bench_pbx(args.port, keys["pbx"], args.partners, args.leads, args.pbx_requests)
        burst_stats = burst_all["pbx"]
        # PI's endpoint and stock's path take turns, a quarter of the submissions at a time,
        # so that both see the same machine (others' load on a shared one comes and goes)
        rounds = 4
        per_round = max(args.lead_requests // rounds, 1)
        say(f"lead endpoint and stock's path, {per_round * rounds} submissions each by {args.threads} clients, "
            f"in {rounds} alternating rounds")
        wall = stock_wall = 0.0
        statuses, stock_statuses, lead_samples = {}, {}, []
        lead_cpu_ms = [0.0, 0.0, 0.0]
        for _round in range(rounds):
            cpu_before = cpu_seconds(server, args.db)
            _rate, round_wall, round_statuses, _stats = bench_leads(
                args.port, keys["website"], args.leads, per_round, args.threads, samples=lead_samples)
            # per submission (the warm-up requests are few enough to ignore)
            for index, (before, after) in enumerate(zip(cpu_before, cpu_seconds(server, args.db), strict=True)):
                lead_cpu_ms[index] += (after - before) * 1000 / (per_round * rounds)
            wall += round_wall
            _rate, round_wall, round_statuses_stock = bench_stock_leads(
                args.port, args.db, args.leads, per_round, args.threads)
            stock_wall += round_wall
            for total, part in ((statuses, round_statuses), (stock_statuses, round_statuses_stock)):
                for key, value in part.items():
                    total[key] = total.get(key, 0) + value
        rate, stock_rate = per_round * rounds / wall, per_round * rounds / stock_wall
        lead_stats = percentiles(lead_samples)
    finally:
        if server:
            stop_server(server)
        if not args.keep_db:
            drop_db(args.db)

    print()
    print(f"Base: {args.partners:,} partners, {args.leads:,} leads; {os.cpu_count()} CPU(s); "
          f"server with {args.workers} workers on loopback, client on the same machine")
    print("\nPhone lookup in-process, as the technical user, limit 1 (intake = the SQL the endpoints run;"
          " the others through the ORM with record rules):")
    for model in ("res.partner", "crm.lead"):
        ours = results[(model, "intake (E.164 index)")][0]
        for label in ("intake (E.164 index)", "intake domain via ORM search", "stock phone_mobile_search =",
                      "stock phone_mobile_search ilike"):
            stats, found = results[(model, label)]
            ratio = stats["p50"] / ours["p50"]
            print(f"  {model:11} {label:33} {fmt(stats)}  found {found}/{args.lookups}  x{ratio:.1f} (p50)")
    print("\nPlan of the intake lookup on res.partner:\n  " + plan.replace("\n", "\n  "))
    print("\nServer side, in-process WSGI (no HTTP client), sequential:")
    for label, stats in breakdown.items():
        print(f"  {label:42} {fmt(stats)}")
    print(f"\nPOST /pi/api/v1/pbx/incoming, end to end over HTTP, {args.pbx_requests} calls "
          f"(70 % customers' mobiles, 10 % their landlines, 20 % leads):")
    print(f"  one every {args.pbx_interval_ms} ms: {fmt(pbx_stats)}  wrong answers: {pbx_wrong}")
    print(f"    floor GET /web/health:   {fmt(pbx_all['health'])}")
    print(f"    floor 401 (wrong secret):{fmt(pbx_all['refused'])}")
    print(f"    401, malformed key:      {fmt(pbx_all['malformed'])}")
    print(f"  back to back (each call's follow-up competes with the next call for the 2 cores): "
          f"{fmt(burst_stats)}  wrong answers: {burst_wrong}")
    print(f"    floor 401 (wrong secret):{fmt(burst_all['refused'])}")
    print(f"\nPOST /pi/api/v1/leads, {args.lead_requests} submissions (half new, half merging), "
          f"{args.threads} clients:")
    print(f"  {rate:.0f} req/s ({wall:.1f} s)  statuses {dict(sorted(statuses.items()))}")
    print(f"  stock path (JSON-RPC search + create/write): {stock_rate:.0f} req/s ({stock_wall:.1f} s)  "
          f"{dict(sorted(stock_statuses.items()))}")
    print(f"  per request: {fmt(lead_stats)}")
    print(f"  CPU per submission: Odoo {lead_cpu_ms[0]:.1f} ms, PostgreSQL {lead_cpu_ms[1]:.1f} ms "
          f"(its connections to this database), client {lead_cpu_ms[2]:.1f} ms; "
          f"{os.cpu_count()} cores give {os.cpu_count() * 1000} ms of CPU a second")

    ratios(args, results, pbx_all, rate, stock_rate)


def ratios(args, results, pbx_all, rate, stock_rate):
    """The issue-18 figures: each against its reference, measured above in this run."""
    lookup = RatioTable("phone lookup")
    for model, label in (("res.partner", "partners"), ("crm.lead", "leads")):
        ours = results[(model, "intake (E.164 index)")][0]["p50"]
        stock = results[(model, "stock phone_mobile_search ilike")][0]["p50"]
        floor = results[(model, "floor: raw SELECT over psycopg2")][0]["p50"]
        size = args.partners if model == "res.partner" else args.leads
        lookup.add(f"phone lookup p50, {size:,} {label}: vs stock", ours, stock, goal=">= 20", ratio="ref/pi",
                   reference_name="stock phone_mobile_search ilike")
        lookup.add(f"phone lookup p50, {size:,} {label}: vs floor", ours, floor, goal="<= 2",
                   reference_name="raw indexed SELECT, psycopg2")
    lookup.print()
    pbx = RatioTable("switchboard answer")
    pi = pbx_all["pbx"]
    for name, floor_name in (("refused", "keyed call refused 401 (wrong secret)"),
                             ("malformed", "call refused 401 (malformed key)"), ("health", "stock /web/health")):
        floor = pbx_all[name]
        pbx.add(f"PBX answer p50 (1 every {args.pbx_interval_ms} ms)", pi["p50"], floor["p50"],
                reference_name=floor_name)
        pbx.add(f"PBX answer p99 (1 every {args.pbx_interval_ms} ms)", pi["p99"], floor["p99"],
                goal="<= 1.25" if name == "refused" else None, reference_name=floor_name)
    pbx.print()
    leads = RatioTable("website lead intake")
    leads.add(f"lead intake, {args.threads} clients, half merging", rate, stock_rate, goal=">= 2", unit="req/s",
              reference_name="stock JSON-RPC search + create")
    leads.print()


if __name__ == "__main__":
    main()
