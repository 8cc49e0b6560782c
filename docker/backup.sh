#!/usr/bin/env bash
# Back up one PI database and its filestore into one archive:
#
#   PGHOST=... PGPORT=... PGUSER=... PGPASSWORD=... PI_DB=pi \
#   PI_FILESTORE=/var/lib/odoo/filestore PI_BACKUP_DIR=/backups docker/backup.sh
#
# Writes PI_BACKUP_DIR/<db>-<UTC timestamp>.tar holding
#   database.dump    pg_dump -Fc of the database
#   filestore.tar    the files of PI_FILESTORE/<db>/ (Odoo's attachments)
#   manifest.txt     database, time, addon versions, row count of every table, sha256 of the two parts
#   manifest.sha256  sha256 of manifest.txt
# The row counts and the addon versions are read in the very snapshot pg_dump dumps (an exported
# snapshot), so they match the dump even while Odoo keeps writing. The archive is written under a
# temporary name in PI_BACKUP_DIR and renamed when complete; then archives of the same database
# older than PI_BACKUP_KEEP days (default 14) are removed. Prints the archive's path last.
# Any failure: exit status non-zero and no archive (the temporary files are removed).
#
# Plain bash with PostgreSQL's own tools and coreutils/tar: runs in the official postgres:16
# image and on any machine with the PostgreSQL client.
set -Eeuo pipefail
umask 077

fail() {
    echo "backup.sh: $*" >&2
    exit 1
}

: "${PI_DB:?PI_DB: the database to back up}"
: "${PI_FILESTORE:?PI_FILESTORE: Odoo filestore root (holding <db>/)}"
: "${PI_BACKUP_DIR:?PI_BACKUP_DIR: where archives go}"
keep_days="${PI_BACKUP_KEEP:-14}"
[[ "$keep_days" =~ ^[0-9]+$ ]] || fail "PI_BACKUP_KEEP must be a number of days, not '$keep_days'"
for tool in pg_dump psql sha256sum tar; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
mkdir -p "$PI_BACKUP_DIR"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
archive="$PI_BACKUP_DIR/$PI_DB-$stamp.tar"
[[ ! -e "$archive" ]] || fail "$archive exists already"
# The work directory is inside PI_BACKUP_DIR: the final rename stays on one filesystem (atomic).
work="$(mktemp -d "$PI_BACKUP_DIR/.pi-backup-$PI_DB.XXXXXX")"
psql_pid=""
cleanup() {
    local status=$?
    set +e
    [[ -n "$psql_pid" ]] && kill "$psql_pid" 2>/dev/null
    rm -rf "$work"
    if ((status != 0)); then
        echo "backup.sh: FAILED (exit $status), no archive written" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE
mkdir "$work/parts"
parts="$work/parts"

# One read-only transaction holds the snapshot: pg_dump dumps it (--snapshot), the manifest's
# row counts and versions are read in it.
coproc PSQL { exec psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PI_DB" 2>"$work/psql.err"; }
psql_pid="$PSQL_PID"
# plain copies of the coprocess's pipes: usable in command substitutions too
exec {psql_in}>&"${PSQL[1]}" {psql_out}<&"${PSQL[0]}"
# ask: send SQL to the held session and read back its output up to an end marker.
ask() {
    local marker="--pi-backup-end-$RANDOM--" line
    printf '%s\n\\echo %s\n' "$1" "$marker" >&"$psql_in"
    while IFS= read -r -t 3600 line <&"$psql_out"; do
        [[ "$line" == "$marker" ]] && return 0
        printf '%s\n' "$line"
    done
    fail "psql stopped answering: $(cat "$work/psql.err" 2>/dev/null)"
}
snapshot="$(ask "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();")"
[[ -n "$snapshot" ]] || fail "could not open a snapshot on $PI_DB: $(cat "$work/psql.err")"

pg_dump -Fc --snapshot="$snapshot" -f "$parts/database.dump" -d "$PI_DB" \
    || fail "pg_dump failed"

{
    echo "# PI backup manifest (docker/backup.sh)"
    echo "format 1"
    echo "database $PI_DB"
    echo "time $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    ask "SELECT 'collate ' || datcollate || E'\nctype ' || datctype FROM pg_database WHERE datname = current_database();"
    echo "[addons]"
    ask "SELECT name || ' ' || COALESCE(latest_version, '-') FROM ir_module_module WHERE state = 'installed' ORDER BY name;"
    echo "[rows]"
    # every table of the dump's schemas, counted exactly in the dump's snapshot
    ask "SELECT format('%s.%s', table_schema, table_name) || ' '
                || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
                                                               table_schema, table_name), false, true, '')))[1]::text
           FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          ORDER BY table_schema, table_name;"
} >"$parts/manifest.body" || fail "could not read the manifest from $PI_DB"
grep -q '^\[addons\]$' "$parts/manifest.body" || fail "no addon list read from $PI_DB"
ask "COMMIT;" >/dev/null
printf '\\q\n' >&"$psql_in"
exec {psql_in}>&- {psql_out}<&-
wait "$psql_pid" || fail "psql failed: $(cat "$work/psql.err")"
psql_pid=""

source_dir="$PI_FILESTORE/$PI_DB"
if [[ -d "$source_dir" ]]; then
    # Filestore files are content-addressed and never rewritten: a file added or garbage-collected
    # while tar reads (status 1, "file changed") is not in the dump's snapshot anyway.
    status=0
    tar -cf "$parts/filestore.tar" -C "$source_dir" . || status=$?
    ((status <= 1)) || fail "tar of $source_dir failed"
else
    if psql -X -A -t -v ON_ERROR_STOP=1 -d "$PI_DB" \
        -c "SELECT 1 FROM ir_attachment WHERE store_fname IS NOT NULL LIMIT 1" | grep -q 1; then
        fail "$source_dir does not exist, but $PI_DB has files in its filestore"
    fi
    tar -cf "$parts/filestore.tar" -T /dev/null
fi

{
    cat "$parts/manifest.body"
    echo "[sha256]"
    (cd "$parts" && sha256sum database.dump filestore.tar)
} >"$parts/manifest.txt"
rm "$parts/manifest.body"
(cd "$parts" && sha256sum manifest.txt >manifest.sha256)

tar -cf "$work/archive.tar" -C "$parts" manifest.txt manifest.sha256 database.dump filestore.tar
sync "$work/archive.tar" 2>/dev/null || true
mv -n "$work/archive.tar" "$archive"
[[ ! -e "$work/archive.tar" ]] || fail "$archive appeared meanwhile"

# Prune: archives of this database older than PI_BACKUP_KEEP days, and work directories left by a
# run that was killed (SIGKILL leaves no chance to clean up) more than a day ago.
find "$PI_BACKUP_DIR" -maxdepth 1 -type f -name "$PI_DB-????????T??????Z.tar" \
    -mmin "+$((keep_days * 1440))" ! -path "$archive" -delete
find "$PI_BACKUP_DIR" -maxdepth 1 -type d -name ".pi-backup-$PI_DB.*" -mmin +1440 \
    ! -path "$work" -exec rm -rf {} +

echo "$archive"
