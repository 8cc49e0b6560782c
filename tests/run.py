#!/usr/bin/env python3
"""The PI suite's one test command: ``python3 tests/run.py``.

It orchestrates only: the checks themselves are ruff's (``ruff.toml``), pylint-odoo's
(``tests/pylintrc``), pytest's and Odoo's.

1. installs the PyPI packages of ``requirements.txt`` and ``requirements-dev.txt``;
2. static checks: XML well-formedness, what pylint-odoo has no check for (an access
   line per model, the translation files), pylint-odoo on ``addons/``, ruff on the repository;
3. the framework-free tests of ``tests/`` with pytest;
4. when an Odoo 18 is available (``python3 -c "import odoo"`` reports 18.0, or
   ``ODOO_PATH`` points at an Odoo 18 source tree): installs the four addons in a
   throwaway database with demo data and Vietnamese (``--lang``), runs their Odoo tests
   (at_install and post_install), fails on any failed test and on any ERROR or
   CRITICAL log line; then backs that database up with ``docker/backup.sh``, restores it
   under a new name with ``docker/restore.sh``, compares every table's row count and
   every filestore file, and checks that a corrupted archive or an existing target is
   refused (each check counts as a test); then drops the databases. A PostgreSQL server is taken from
   the ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD`` environment when one answers
   there; otherwise a throwaway cluster is started (PostgreSQL from Debian's
   packages, installed when missing). The investor portal's browser tests drive
   Debian's ``chromium`` (installed when missing) and print where their
   screenshots are.

Prints ``static checks: N passed, N failed``, then, last, the tests (pytest and Odoo)
``N passed, N failed``. Anything else that failed (a static check, an ERROR log line, an
Odoo run without a test summary) follows that line in brackets, e.g.
``N passed, 0 failed (static checks: 1 failed)``: the run passed only when the last line
is exactly ``N passed, 0 failed``, and then only is the exit status 0.

Options: ``--skip-install`` (no pip), ``--no-odoo`` (skip step 4),
``--only-odoo`` (step 4 alone), ``--keep-db`` (leave the database for a look),
``--odoo-tags TAGS`` (a ``--test-tags`` spec instead of all four addons; it also skips the
backup check unless ``--backup-check`` is given),
``--lang LANG`` (the language loaded at install, ``vi_VN`` by default; ``none`` installs
without ``--load-language``, as a plain ``odoo -i`` does: Vietnamese then comes only with
pi_crm's demo data, after the modules installed before it).
"""

import argparse
import ast
import contextlib
import glob
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS_DIR = os.path.join(ROOT, "addons")
ADDONS = ["pi_crm", "pi_contracts", "pi_portal", "pi_bonus"]
PYTHON = sys.executable
ODOO_SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
LOG_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
# Odoo only warns when a module's demo data fails and installs it without: that is a failure here.
DEMO_FAILED = re.compile(r" WARNING .*demo data failed to install")


class Tally:
    """Tests (pytest and Odoo) and static checks, counted apart, and the failures that
    are neither (the run itself went wrong): each of those fails the run too."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.static_passed = 0
        self.static_failed = 0
        self.problems = []  # short, for the last line
        self.notes = []  # printed before the closing lines

    def add(self, passed, failed):
        self.passed += passed
        self.failed += failed

    def problem(self, short, detail):
        self.problems.append(short)
        self.notes.append(detail)

    def ok(self):
        return not (self.failed or self.static_failed or self.problems)

    def closing_lines(self, static_ran):
        lines = [f"static checks: {self.static_passed} passed, {self.static_failed} failed" if static_ran
                 else "static checks: not run (--only-odoo)"]
        extra = ([f"static checks: {self.static_failed} failed"] if self.static_failed else []) + self.problems
        lines.append(f"{self.passed} passed, {self.failed} failed" + (f" ({'; '.join(extra)})" if extra else ""))
        return lines


def say(message):
    print(f"==> {message}", flush=True)


def run(cmd, **kwargs):
    say(" ".join(cmd) if isinstance(cmd, list) else cmd)
    return subprocess.run(cmd, check=False, **kwargs)


# ---------------------------------------------------------------- install
def install_requirements():
    files = [os.path.join(ROOT, name) for name in ("requirements.txt", "requirements-dev.txt")]
    args = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for path in files:
        args += ["-r", path]
    if run(args).returncode:
        raise SystemExit("pip could not install the requirements")


# ---------------------------------------------------------------- static
def check_xml(tally):
    bad = []
    for path in sorted(glob.glob(os.path.join(ADDONS_DIR, "**", "*.xml"), recursive=True)):
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as error:
            bad.append(f"{os.path.relpath(path, ROOT)}: {error}")
    report("XML well-formed", bad, tally)


def _models_declared(addon_dir):
    """Names of the models an addon creates (``_name`` without being only an ``_inherit``)."""
    names = set()
    for path in glob.glob(os.path.join(addon_dir, "**", "*.py"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Constant):
                        attrs[target.id] = stmt.value.value
                    elif isinstance(target, ast.Name) and isinstance(stmt.value, (ast.List, ast.Tuple)):
                        attrs[target.id] = [elt.value for elt in stmt.value.elts if isinstance(elt, ast.Constant)]
            base_names = {getattr(base, "attr", getattr(base, "id", "")) for base in node.bases}
            inherits = attrs.get("_inherit", [])
            inherits = [inherits] if isinstance(inherits, str) else inherits
            # _name = "res.partner" with _inherit = ["res.partner", "some.mixin"] extends, it creates nothing
            if "_name" in attrs and attrs["_name"] not in inherits and not attrs.get("_abstract", False) \
                    and not attrs.get("_transient") and "AbstractModel" not in base_names and attrs.get("_auto", True):
                names.add(attrs["_name"])
            if "_name" in attrs and "TransientModel" in base_names:
                names.add(attrs["_name"])
    return names


def check_access_and_translations(tally):
    # pylint-odoo checks the manifests (author, license, version, listed files, README).
    # It has no check for these two, so they stay here: every model an addon creates has a
    # line in its security/ir.model.access.csv (Odoo only warns when one is missing), and
    # every addon ships i18n/vi.po and its .pot (the suite is Vietnamese first).
    problems = []
    for addon in ADDONS:
        addon_dir = os.path.join(ADDONS_DIR, addon)
        for lang_file in ("i18n/vi.po", f"i18n/{addon}.pot"):
            if not os.path.isfile(os.path.join(addon_dir, lang_file)):
                problems.append(f"{addon}: no {lang_file}")
        access_csv = os.path.join(addon_dir, "security", "ir.model.access.csv")
        access_text = ""
        if os.path.isfile(access_csv):
            with open(access_csv, encoding="utf-8") as handle:
                access_text = handle.read()
        for model in sorted(_models_declared(addon_dir)):
            model_ref = "model_" + model.replace(".", "_")
            if not re.search(rf"(^|,|\.){re.escape(model_ref)},", access_text, re.M):
                problems.append(f"{addon}: model {model} has no line in security/ir.model.access.csv")
    report("access rules, translations", problems, tally)


def check_pylint(tally):
    rcfile = os.path.join(ROOT, "tests", "pylintrc")
    proc = run([PYTHON, "-m", "pylint", f"--rcfile={rcfile}"] + [os.path.join(ADDONS_DIR, a) for a in ADDONS],
               capture_output=True, text=True)
    messages = [line for line in proc.stdout.splitlines() if re.match(r"^\S+\.\w+:\d+:\d+: ", line)]
    if proc.returncode and not messages:
        messages = [proc.stdout[-2000:] + proc.stderr[-2000:]]
    report("pylint-odoo", messages, tally)


def check_ruff(tally):
    """ruff over the repository, with the rules of ``ruff.toml``; never fixes anything."""
    proc = run([PYTHON, "-m", "ruff", "check", "--no-fix", "--output-format", "concise", "."],
               capture_output=True, text=True, cwd=ROOT)
    messages = [line for line in proc.stdout.splitlines() if re.match(r"^\S+\.py:\d+:\d+: ", line)]
    if messages:
        rules = Counter(match.group(1) for line in messages if (match := re.search(r": ([A-Z]+\d+) ", line)))
        messages.append("by rule: " + ", ".join(f"{rule} {count}" for rule, count in rules.most_common()))
    elif proc.returncode:
        messages = [proc.stdout[-2000:] + proc.stderr[-2000:]]
    report("ruff", messages, tally)


def report(name, problems, tally):
    if problems:
        say(f"{name}: FAILED")
        for problem in problems:
            print(f"    {problem}")
        tally.static_failed += 1
    else:
        say(f"{name}: ok")
        tally.static_passed += 1


# ---------------------------------------------------------------- pytest
def run_pytest(tally):
    junit = os.path.join(tempfile.mkdtemp(prefix="pi-pytest-"), "junit.xml")
    proc = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
                os.path.join(ROOT, "tests")], cwd=ROOT)
    if not os.path.isfile(junit):
        tally.problem("pytest: no report", f"pytest exited with status {proc.returncode} and wrote no report")
        return
    suite = ElementTree.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failures, errors, skipped = (int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped"))
    tally.add(total - failures - errors - skipped, failures + errors)
    if proc.returncode not in (0, 1):
        tally.problem(f"pytest: exit status {proc.returncode}", f"pytest exited with status {proc.returncode}")


# ---------------------------------------------------------------- odoo
def find_odoo():
    """Return (argv prefix to run odoo-bin, list of Odoo addons dirs) or (None, reason)."""
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path:
        odoo_bin = os.path.join(odoo_path, "odoo-bin")
        release = os.path.join(odoo_path, "odoo", "release.py")
        if not (os.path.isfile(odoo_bin) and os.path.isfile(release)):
            return None, f"ODOO_PATH={odoo_path} is not an Odoo source tree"
        version = subprocess.run([PYTHON, "-c", "import runpy,sys; print(runpy.run_path(sys.argv[1])['version'])",
                                  release], capture_output=True, text=True, check=False).stdout.strip()
        if not version.startswith("18.0"):
            return None, f"ODOO_PATH={odoo_path} holds Odoo {version or '?'}, not 18.0"
        return [PYTHON, odoo_bin], [os.path.join(odoo_path, "odoo", "addons"), os.path.join(odoo_path, "addons")]
    probe = subprocess.run(
        [PYTHON, "-c", "import os, odoo, odoo.release as r; print(r.version); print(os.path.dirname(odoo.__file__))"],
        capture_output=True, text=True, check=False)
    if probe.returncode:
        return None, f"`{os.path.basename(PYTHON)} -c 'import odoo'` fails and ODOO_PATH is not set"
    version, package_dir = probe.stdout.split()
    if not version.startswith("18.0"):
        return None, f"the Odoo this Python imports is {version}, not 18.0"
    paths = [os.path.join(package_dir, "addons")]
    source_addons = os.path.join(os.path.dirname(package_dir), "addons")
    if os.path.isdir(source_addons):
        paths.append(source_addons)
    return [PYTHON, "-c", "import sys, odoo.cli; sys.argv[0] = 'odoo'; odoo.cli.main()"], paths


def _pg_answers(host, port, user, password):
    try:
        import psycopg2  # noqa: PLC0415 - only needed for the Odoo suites
    except ImportError:
        return False
    try:
        psycopg2.connect(host=host, port=port, user=user, password=password, dbname="postgres",
                         connect_timeout=3).close()
        return True
    except psycopg2.Error:
        return False


def _free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir():
    candidates = []
    with contextlib.suppress(OSError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(out)
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for bindir in candidates:
        if bindir and os.path.isfile(os.path.join(bindir, "initdb")):
            return bindir
    return None


class ThrowawayCluster:
    """A PostgreSQL cluster in a temp dir, on a free loopback port, removed at the end."""

    user = "pi_test"
    password = "pi_test"

    def __init__(self):
        self.dir = None
        self.port = None
        self.bindir = None
        self.runas = []

    def start(self):
        self.bindir = _pg_bindir()
        if not self.bindir and os.geteuid() == 0 and shutil.which("apt-get"):
            say("no PostgreSQL here: installing Debian's postgresql package")
            run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
            run(["apt-get", "install", "-y", "-qq", "postgresql"], stdout=subprocess.DEVNULL,
                env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
            self.bindir = _pg_bindir()
        if not self.bindir:
            raise RuntimeError("no PostgreSQL server binaries (initdb) found, and none could be installed")
        self.dir = tempfile.mkdtemp(prefix="pi-pg-")
        self.port = _free_port()
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            user = "postgres"
            try:
                subprocess.run(["id", user], check=True, capture_output=True)
            except subprocess.CalledProcessError:
                run(["useradd", "--system", "--no-create-home", user])
            shutil.chown(self.dir, user)
            os.chmod(self.dir, 0o700)
            self.runas = ["runuser", "-u", user, "--"]
        data = os.path.join(self.dir, "data")
        self._pg([os.path.join(self.bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8"])
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._pg([os.path.join(self.bindir, "pg_ctl"), "-D", data, "-o", options, "-l",
                  os.path.join(self.dir, "server.log"), "-w", "start"])
        self._pg([os.path.join(self.bindir, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-d", "postgres", "-q", "-c",
                  f"CREATE ROLE {self.user} LOGIN SUPERUSER PASSWORD '{self.password}'"])
        return "127.0.0.1", str(self.port), self.user, self.password

    def _pg(self, cmd):
        cmd = self.runas + cmd
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr or result.stdout}")

    def stop(self):
        if self.dir:
            with contextlib.suppress(RuntimeError):
                self._pg([os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                          "-m", "immediate", "stop"])
            shutil.rmtree(self.dir, ignore_errors=True)


def ensure_chromium():
    """The portal's browser tests need Chromium: install Debian's when missing (as root)."""
    if any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("no Chromium here: installing Debian's chromium package for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, env=env)
        run(["apt-get", "install", "-y", "-qq", "chromium"], stdout=subprocess.DEVNULL, env=env)
    if not shutil.which("chromium"):
        say("Chromium is missing: the portal's browser tests will be skipped")


def run_odoo_suites(tally, odoo_cmd, odoo_addons, options):
    ensure_chromium()
    cluster = None
    host, port = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGPORT", "5432")
    user, password = os.environ.get("PGUSER", "odoo"), os.environ.get("PGPASSWORD", "odoo")
    if not (os.environ.get("PGHOST") and _pg_answers(host, port, user, password)):
        cluster = ThrowawayCluster()
        try:
            host, port, user, password = cluster.start()
        except RuntimeError as error:
            cluster.stop()
            tally.problem("Odoo suites did not run", f"Odoo suites did not run: {error}")
            return
    dbname = f"pi_test_{os.getpid()}_{int(time.time())}"
    data_dir = tempfile.mkdtemp(prefix="pi-odoo-data-")
    log_path = os.path.join(tempfile.gettempdir(), f"{dbname}.log")
    tags = options.odoo_tags or ",".join(f"/{addon}" for addon in ADDONS)
    cmd = odoo_cmd + [
        "--database", dbname, "--db_host", host, "--db_port", port, "--db_user", user, "--db_password", password,
        "--addons-path", ",".join(odoo_addons + [ADDONS_DIR]), "--data-dir", data_dir,
        "--init", ",".join(ADDONS), "--test-enable", "--test-tags", tags,
        "--stop-after-init", "--log-level", "info", "--http-port", str(_free_port()),
        "--max-cron-threads", "0", "--db-filter", f"^{dbname}$",
    ] + ([] if options.lang == "none" else ["--load-language", options.lang])
    say(f"Odoo suites in throwaway database {dbname}, language {options.lang} (log: {log_path})")
    errors, summary = [], None
    started = time.time()
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            # The intake API's schemathesis run must not skip for want of the dev requirement.
            env = dict(os.environ, PI_REQUIRE_SCHEMATHESIS="1")
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env)
            for line in proc.stdout:
                log.write(line)
                if LOG_LEVEL.match(line) or DEMO_FAILED.search(line):
                    errors.append(line.rstrip())
                    print(line, end="", flush=True)
                elif any(mark in line for mark in (" odoo.tests.stats", " FAIL:", " ERROR:", "creenshots")):
                    print(line, end="", flush=True)
                match = ODOO_SUMMARY.search(line)
                if match:
                    summary = tuple(int(group) for group in match.groups())
            returncode = proc.wait()
        if summary is not None and (options.backup_check or not options.odoo_tags):
            check_backup_restore(tally, {"host": host, "port": port, "user": user, "password": password}, dbname,
                                 os.path.join(data_dir, "filestore"), cluster.bindir if cluster else _pg_bindir())
    finally:
        if not options.keep_db:
            _drop_database(host, port, user, password, dbname)
            shutil.rmtree(data_dir, ignore_errors=True)
        if cluster and not options.keep_db:
            cluster.stop()
    say(f"Odoo suites took {time.time() - started:.0f}s")
    if summary is None:
        tally.problem("Odoo: no test summary",
                      f"Odoo run ended (exit {returncode}) without a test summary: see {log_path}")
        return
    failed, errored, total = summary
    tally.add(total - failed - errored, failed + errored)
    if not total:
        tally.problem("Odoo: no test ran", "the Odoo run found no test to run")
    # The summary line itself is logged at ERROR when tests failed: count each problem once.
    log_errors = [line for line in errors if not ODOO_SUMMARY.search(line)]
    if log_errors and not (failed or errored):
        tally.problem(f"Odoo: {len(log_errors)} ERROR/CRITICAL log line(s)",
                      f"{len(log_errors)} ERROR/CRITICAL log line(s) during install or tests: see {log_path}")
    if returncode and not (failed or errored or log_errors):
        tally.problem(f"Odoo: exit status {returncode}", f"odoo exited with status {returncode}: see {log_path}")


# ---------------------------------------------------------------- backup / restore
def _table_counts(pg, dbname):
    """{schema.table: row count} of every table of ``dbname``, counted exactly."""
    import psycopg2  # noqa: PLC0415
    from psycopg2 import sql  # noqa: PLC0415
    conn = psycopg2.connect(dbname=dbname, **pg)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = "
                        "'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")
            counts = {}
            for schema, table in cur.fetchall():
                cur.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
                counts[f"{schema}.{table}"] = cur.fetchone()[0]
            return counts
    finally:
        conn.close()


def _database_exists(pg, dbname):
    import psycopg2  # noqa: PLC0415
    conn = psycopg2.connect(dbname="postgres", **pg)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            return bool(cur.fetchone())
    finally:
        conn.close()


def _files(root):
    """{relative path: bytes} of every file under ``root``."""
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = handle.read()
    return found


def check_backup_restore(tally, pg, dbname, filestore_root, pg_bindir):
    """docker/backup.sh and docker/restore.sh against the suites' database, each check a test."""
    import tarfile  # noqa: PLC0415
    work = tempfile.mkdtemp(prefix="pi-backup-check-")
    backups = os.path.join(work, "backups")
    env = dict(os.environ, PGHOST=pg["host"], PGPORT=str(pg["port"]), PGUSER=pg["user"], PGPASSWORD=pg["password"],
               PI_DB=dbname, PI_FILESTORE=filestore_root, PI_BACKUP_DIR=backups, PI_BACKUP_KEEP="14")
    if pg_bindir:
        env["PATH"] = pg_bindir + os.pathsep + env["PATH"]
    restored, created = f"{dbname}_restored", []
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        say(f"backup/restore: {name}: {'ok' if ok else 'FAILED ' + detail}")
        passed, failed = passed + bool(ok), failed + (not ok)

    def script(name, *args, **extra):
        proc = subprocess.run(["bash", os.path.join(ROOT, "docker", name), *args], capture_output=True, text=True,
                              env=dict(env, **extra), check=False)
        return proc.returncode, proc.stdout.strip().splitlines(), proc.stderr.strip()

    def refused(label, archive, target):
        before = _database_exists(pg, target)
        code, _out, err = script("restore.sh", archive, target)
        created.append(target)
        untouched = _database_exists(pg, target) == before and (before or not os.path.exists(
            os.path.join(filestore_root, target)))
        check(f"refuses {label}", code != 0 and untouched, f"exit {code}, target untouched: {untouched}; {err[-300:]}")

    try:
        os.makedirs(os.path.join(backups), exist_ok=True)
        old = os.path.join(backups, f"{dbname}-20000101T000000Z.tar")
        recent = os.path.join(backups, f"{dbname}-20000102T000000Z.tar")
        for path, days in ((old, 15), (recent, 13)):
            open(path, "wb").close()
            os.utime(path, (time.time() - days * 86400,) * 2)
        code, out, err = script("backup.sh")
        archive = out[-1] if out else ""
        leftovers = [name for name in os.listdir(backups) if name.startswith(".")]
        check("backup.sh writes one archive and prints its path last",
              code == 0 and os.path.isfile(archive) and not leftovers, f"exit {code}, {out}, {leftovers}: {err[-500:]}")
        if not os.path.isfile(archive):
            return
        check("backup.sh prunes archives older than PI_BACKUP_KEEP days, keeps the others",
              not os.path.exists(old) and os.path.exists(recent))
        code, out, err = script("backup.sh", PI_DB=f"{dbname}_missing")
        kept = sorted([os.path.basename(archive), os.path.basename(recent)])
        check("backup.sh fails on a missing database and leaves no archive",
              code != 0 and sorted(os.listdir(backups)) == kept,
              f"exit {code}, {os.listdir(backups)}")

        code, out, err = script("restore.sh", archive, restored)
        created.append(restored)
        check("restore.sh restores under a new name", code == 0, f"exit {code}: {err[-1000:]}")
        if code == 0:
            source_counts, restored_counts = _table_counts(pg, dbname), _table_counts(pg, restored)
            differ = sorted(table for table in set(source_counts) | set(restored_counts)
                            if source_counts.get(table) != restored_counts.get(table))
            check(f"every table's row count equal ({len(source_counts)} tables)", not differ and source_counts,
                  f"differ: {differ[:10]}")
            source_files = _files(os.path.join(filestore_root, dbname))
            restored_files = _files(os.path.join(filestore_root, restored))
            check(f"every filestore file equal ({len(source_files)} files)",
                  source_files == restored_files and source_files,
                  f"{len(source_files)} files vs {len(restored_files)}")
        refused("an existing database (the restored one)", archive, restored)
        refused("an existing database (the original)", archive, dbname)

        with open(archive, "rb") as handle:
            data = bytearray(handle.read())
        with tarfile.open(archive) as tar:
            dump = tar.getmember("database.dump")
        corrupt = os.path.join(work, "corrupt.tar")
        data[dump.offset_data + dump.size // 2] ^= 0xFF
        with open(corrupt, "wb") as handle:
            handle.write(data)
        refused("a corrupted archive (one byte of the dump)", corrupt, f"{dbname}_corrupt")
        truncated = os.path.join(work, "truncated.tar")
        with open(truncated, "wb") as handle:
            handle.write(data[: len(data) // 2])
        refused("a truncated archive", truncated, f"{dbname}_truncated")

        refused("a database name that is not one", archive, 'x";DROP DATABASE postgres;--')
        # a tar that is no PI backup: a path out of the extraction directory, beside the real parts
        hostile = os.path.join(work, "hostile.tar")
        with tarfile.open(archive) as source, tarfile.open(hostile, "w") as tar:
            for member in source.getmembers():
                tar.addfile(member, source.extractfile(member))
            evil = tarfile.TarInfo("../pi-restore-escaped")
            evil.size = 4
            tar.addfile(evil, io.BytesIO(b"evil"))
        refused("an archive with a path out of its directory", hostile, f"{dbname}_hostile")
        escaped = os.path.join(tempfile.gettempdir(), "pi-restore-escaped")
        check("nothing written out of the extraction directory", not os.path.exists(escaped))

        # A manifest whose row counts disagree with the dump (its checksum redone): the restore
        # runs, finds the difference, fails and removes what it created.
        forged_dir = os.path.join(work, "forged")
        with tarfile.open(archive) as tar:
            tar.extractall(forged_dir, filter="data")
        manifest_path = os.path.join(forged_dir, "manifest.txt")
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = handle.read()
        manifest = re.sub(r"^(public\.res_partner) (\d+)$", lambda m: f"{m[1]} {int(m[2]) + 1}", manifest, flags=re.M)
        with open(manifest_path, "w", encoding="utf-8") as handle:
            handle.write(manifest)
        import hashlib  # noqa: PLC0415
        with open(os.path.join(forged_dir, "manifest.sha256"), "w", encoding="utf-8") as handle:
            handle.write(f"{hashlib.sha256(manifest.encode()).hexdigest()}  manifest.txt\n")
        forged = os.path.join(work, "forged.tar")
        with tarfile.open(forged, "w") as tar:
            for name in ("manifest.txt", "manifest.sha256", "database.dump", "filestore.tar"):
                tar.add(os.path.join(forged_dir, name), arcname=name)
        code, _out, err = script("restore.sh", forged, f"{dbname}_forged")
        created.append(f"{dbname}_forged")
        check("restore.sh checks the row counts and removes a restore that differs",
              code != 0 and "row counts" in err and not _database_exists(pg, f"{dbname}_forged")
              and not os.path.exists(os.path.join(filestore_root, f"{dbname}_forged")), f"exit {code}: {err[-500:]}")
    finally:
        for name in created:
            if name != dbname and _database_exists(pg, name):
                _drop_database(pg["host"], pg["port"], pg["user"], pg["password"], name)
                shutil.rmtree(os.path.join(filestore_root, name), ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        tally.add(passed, failed)


def _drop_database(host, port, user, password, dbname):
    try:
        import psycopg2  # noqa: PLC0415
        conn = psycopg2.connect(host=host, port=port, user=user, password=password, dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.close()
    except Exception as error:  # pylint: disable=broad-except
        say(f"could not drop {dbname}: {error}")


# ---------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--no-odoo", action="store_true")
    parser.add_argument("--only-odoo", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--odoo-tags")
    parser.add_argument("--backup-check", action="store_true",
                        help="check docker/backup.sh and restore.sh also with --odoo-tags (always done without)")
    parser.add_argument("--lang", default="vi_VN",
                        help="language loaded at install (default vi_VN); none: install without --load-language")
    options = parser.parse_args()
    tally = Tally()
    if not options.skip_install:
        install_requirements()
    if not options.only_odoo:
        check_xml(tally)
        check_access_and_translations(tally)
        check_pylint(tally)
        check_ruff(tally)
        run_pytest(tally)
    if options.no_odoo:
        tally.notes.append("Odoo suites did not run: --no-odoo was given")
    else:
        odoo_cmd, odoo_addons = find_odoo()
        if odoo_cmd is None:
            tally.notes.append(f"Odoo suites did not run: {odoo_addons}")
        else:
            run_odoo_suites(tally, odoo_cmd, odoo_addons, options)
    for note in tally.notes:
        print(note)
    for line in tally.closing_lines(static_ran=not options.only_odoo):
        print(line)
    return 0 if tally.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
