"""What every bench script of ``bench/`` does the same way: the PostgreSQL server, Odoo's
command line, a database of its own (installed, or copied from ``run_all.py``'s template),
an Odoo server on loopback, and percentiles. No figure is computed here (``ratio.py``).

    from benchlib import PG, create_db, drop_db, odoo_args, say, start_server, stop_server

PostgreSQL is the server of ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD`` (default
127.0.0.1:5432, odoo/odoo); the Odoo source tree is ``$ODOO_PATH``, else the one this
Python imports.
"""

import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "odoo"),
    "password": os.environ.get("PGPASSWORD", "odoo"),
}


def _odoo_root():
    """The Odoo source tree: $ODOO_PATH, else the one this Python imports."""
    if os.environ.get("ODOO_PATH"):
        return os.environ["ODOO_PATH"]
    import odoo  # noqa: PLC0415 - only to locate the source tree

    return os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))


ODOO_ROOT = _odoo_root()
ODOO_BIN = os.environ.get("ODOO_BIN") or os.path.join(ODOO_ROOT, "odoo-bin")
ADDONS_PATH = ",".join(path for path in (
    os.path.join(ODOO_ROOT, "addons"), os.path.join(ODOO_ROOT, "odoo", "addons"), os.path.join(ROOT, "addons"))
    if os.path.isdir(path))


def say(message):
    print(f"==> {message}", flush=True)


def odoo_args(db):
    """Odoo's options for ``db`` on ``PG``: the addons of this repository, a data directory of the
    database's own under /tmp, warnings only, no cron thread."""
    return [
        "-d", db, f"--db_host={PG['host']}", f"--db_port={PG['port']}", f"--db_user={PG['user']}",
        f"--db_password={PG['password']}", f"--addons-path={ADDONS_PATH}", f"--data-dir=/tmp/{db}-data",
        "--log-level=warn", "--log-handler=py.warnings:ERROR", "--max-cron-threads=0",
    ]


def _connect(db="postgres"):
    import psycopg2  # noqa: PLC0415 - only the scripts that touch a database need it

    return psycopg2.connect(dbname=db, **PG)


def db_exists(db):
    with _connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        return bool(cr.fetchone())


def _admin(statement):
    conn = _connect()
    conn.autocommit = True  # CREATE/DROP DATABASE run outside a transaction
    try:
        with conn.cursor() as cr:
            cr.execute(statement)
    finally:
        conn.close()


def drop_db(db):
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def copy_db(db, template):
    """``db`` as a copy of ``template`` (a database with the addons installed, made once by
    ``bench/run_all.py``), its filestore included: seconds instead of an installation."""
    say(f"copying {template} into {db}")
    _admin(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    source = f"/tmp/{template}-data/filestore/{template}"
    if os.path.isdir(source):
        shutil.copytree(source, f"/tmp/{db}-data/filestore/{db}", dirs_exist_ok=True)


def install(db, modules):
    """Install ``modules`` (comma-separated) without demo data in a new database ``db``."""
    say(f"installing {modules} in {db} (no demo data)")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, ODOO_BIN, *odoo_args(db), "-i", modules, "--without-demo=all", "--stop-after-init"],
        check=False, capture_output=True, text=True,
    )
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit(f"installation of {modules} in {db} failed")
    say(f"installed in {time.monotonic() - started:.0f} s")


def create_db(db, modules, template=None):
    """A fresh ``db``: a copy of ``template`` when given, else ``modules`` installed in it."""
    if db_exists(db):
        drop_db(db)
    if template:
        copy_db(db, template)
    else:
        install(db, modules)


# ------------------------------------------------------------------ data
FIRST_NAMES = ["Hùng", "Lan", "Minh", "Tuấn", "Hà", "Dũng", "Mai", "Nam", "Thảo", "Quang"]
LAST_NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thu", "Hoàng Anh", "Đỗ Minh", "Vũ Thị", "Bùi Quốc"]


def create_customers(env, count, tag, values=None):
    """``count`` customers with a Vietnamese name, a gender and the e-mail ``<tag><index>@bench.example.vn``,
    by batches of 1,000, plus ``values(index)`` when given; their ids."""
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    ids = []
    for start in range(0, count, 1000):
        ids += Partner.create([{
            "name": f"{LAST_NAMES[index % len(LAST_NAMES)]} {FIRST_NAMES[index // len(LAST_NAMES) % len(FIRST_NAMES)]}",
            "pi_gender": "female" if index % 2 else "male",
            "email": f"{tag}{index:05d}@bench.example.vn",
            **(values(index) if values else {}),
        } for index in range(start, min(start + 1000, count))]).ids
        env.invalidate_all()
    return ids


# ------------------------------------------------------------------ server
def start_server(db, port, workers, timeout=90):
    """An Odoo server on 127.0.0.1:``port`` with ``workers`` HTTP workers serving ``db``,
    once it answers ``/web/health``; its log in /tmp/<db>-server.log."""
    import requests  # noqa: PLC0415

    say(f"starting Odoo on 127.0.0.1:{port} with {workers} workers")
    log = open(f"/tmp/{db}-server.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, ODOO_BIN, *odoo_args(db), f"--http-port={port}", "--http-interface=127.0.0.1",
         f"--workers={workers}", "--limit-time-real=120", "--limit-memory-soft=2147483648",
         "--limit-memory-hard=2684354560"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise SystemExit(f"server did not start, see /tmp/{db}-server.log")


def stop_server(process):
    """Stop the server started by ``start_server`` (its own process group only)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# ------------------------------------------------------------------ figures
def percentiles(samples_ms):
    """p50, p95, p99, max and mean of ``samples_ms``."""
    ordered = sorted(samples_ms)

    def pick(fraction):
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "max": ordered[-1],
            "mean": statistics.fmean(ordered)}


def fmt(stats):
    return "  ".join(f"{name} {value:7.2f} ms" for name, value in stats.items())
