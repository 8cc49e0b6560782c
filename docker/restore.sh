#!/usr/bin/env bash
# Restore an archive of docker/backup.sh under a new database name:
#
#   PGHOST=... PGPORT=... PGUSER=... PGPASSWORD=... PI_FILESTORE=/var/lib/odoo/filestore \
#   docker/restore.sh /backups/pi-20261201T190000Z.tar pi_restored
#
# 1. checks the archive: exactly the four parts, manifest.txt against manifest.sha256, the dump
#    and the filestore against the manifest's sha256 — a corrupted or foreign archive is refused;
# 2. refuses a NEW_DB that exists already (database or PI_FILESTORE/NEW_DB directory);
#    a refusal exits non-zero and has created or changed nothing;
# 3. creates NEW_DB (the collation of the original), pg_restore's the dump into it in one
#    transaction, unpacks the filestore into PI_FILESTORE/NEW_DB;
# 4. counts the rows of every table of NEW_DB and compares them with the manifest.
# Any failure after step 2 drops NEW_DB and removes PI_FILESTORE/NEW_DB again: the restore
# either is complete and checked, or leaves nothing. The restored database is an exact copy
# (same database.uuid): to run it beside the original, see the README.
set -Eeuo pipefail
umask 027

fail() {
    echo "restore.sh: $*" >&2
    exit 1
}

(($# == 2)) || fail "usage: restore.sh ARCHIVE NEW_DB"
archive="$1"
new_db="$2"
: "${PI_FILESTORE:?PI_FILESTORE: Odoo filestore root (the files go to PI_FILESTORE/NEW_DB)}"
# Odoo's own rule for database names
[[ "$new_db" =~ ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$ ]] || fail "'$new_db' is not a valid database name"
[[ -f "$archive" ]] || fail "$archive: no such archive"
for tool in pg_restore psql sha256sum tar; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/pi-restore.XXXXXX")"
created_db=""
created_files=""
cleanup() {
    local status=$?
    set +e
    if ((status != 0)); then
        if [[ -n "$created_db" ]]; then
            psql -X -q -v ON_ERROR_STOP=1 -d postgres \
                -c "DROP DATABASE IF EXISTS \"$created_db\" WITH (FORCE)" >/dev/null 2>&1 \
                || echo "restore.sh: could not drop $created_db: drop it by hand" >&2
        fi
        [[ -n "$created_files" ]] && rm -rf "$created_files"
        echo "restore.sh: FAILED (exit $status)" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE

# 1. the archive: its list of members first (no path of ours is ever written from it)
expected=$'database.dump\nfilestore.tar\nmanifest.sha256\nmanifest.txt'
members="$(tar -tf "$archive" 2>/dev/null | LC_ALL=C sort)" || fail "$archive: not a readable tar archive"
[[ "$members" == "$expected" ]] || fail "$archive: not a PI backup (its members: $(echo "$members" | tr '\n' ' '))"
tar -xf "$archive" -C "$work" database.dump filestore.tar manifest.sha256 manifest.txt \
    || fail "$archive: cannot be read to the end"
(cd "$work" && sha256sum --quiet --strict -c manifest.sha256 >/dev/null 2>&1) \
    || fail "$archive: manifest.txt does not match its checksum: archive corrupted"
[[ "$(cut -d' ' -f3 "$work/manifest.sha256")" == "manifest.txt" ]] \
    || fail "$archive: manifest.sha256 is not the manifest's checksum"
section() { # the lines of one [section] of the manifest
    sed -n "/^\[$1\]\$/,/^\[/{/^\[/d;p}" "$work/manifest.txt"
}
section sha256 >"$work/parts.sha256"
[[ "$(awk '{print $2}' "$work/parts.sha256" | LC_ALL=C sort | tr '\n' ' ')" == "database.dump filestore.tar " ]] \
    || fail "$archive: the manifest lists no checksum for each part"
(cd "$work" && sha256sum --quiet --strict -c parts.sha256 >/dev/null 2>&1) \
    || fail "$archive: a part does not match its checksum in the manifest: archive corrupted"
tar -tf "$work/filestore.tar" >"$work/filestore.list" || fail "$archive: filestore.tar unreadable"
if grep -qE '(^/|(^|/)\.\.(/|$))' "$work/filestore.list"; then
    fail "$archive: filestore.tar holds a path outside the filestore"
fi
source_db="$(sed -n 's/^database //p' "$work/manifest.txt")"
collate="$(sed -n 's/^collate //p' "$work/manifest.txt")"
ctype="$(sed -n 's/^ctype //p' "$work/manifest.txt")"
section rows >"$work/rows.expected"
[[ -s "$work/rows.expected" ]] || fail "$archive: the manifest has no row counts"

# 2. the target: neither a database nor a filestore directory of that name
exists="$(psql -X -A -t -v ON_ERROR_STOP=1 -d postgres -v name="$new_db" \
    <<<"SELECT count(*) FROM pg_database WHERE datname = :'name';")" || fail "cannot reach PostgreSQL"
[[ "$exists" == "0" ]] || fail "database $new_db exists already: choose a new name"
target="$PI_FILESTORE/$new_db"
[[ ! -e "$target" ]] || fail "$target exists already: choose a new name"
mkdir -p "$PI_FILESTORE"

# 3. restore: the database, then the files
quote() { printf "'%s'" "${1//\'/\'\'}"; }
locale_clause=""
[[ -n "$collate" ]] && locale_clause="LC_COLLATE $(quote "$collate") LC_CTYPE $(quote "$ctype")"
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "CREATE DATABASE \"$new_db\" ENCODING 'UTF8' TEMPLATE template0 $locale_clause" \
    || fail "cannot create database $new_db"
created_db="$new_db"
pg_restore --exit-on-error --single-transaction -d "$new_db" "$work/database.dump" \
    || fail "pg_restore into $new_db failed"
mkdir "$target.restoring"
created_files="$target.restoring"
tar -xf "$work/filestore.tar" -C "$target.restoring" --no-same-owner || fail "cannot unpack the filestore"
# Run as root (docker compose exec -u root): the files belong to whoever owns the filestore root
# (Odoo's user), so that Odoo can add attachments to the restored database.
if (($(id -u) == 0)); then
    chown -R --reference="$PI_FILESTORE" "$target.restoring" || fail "cannot hand the files to Odoo's user"
fi
mv -T "$target.restoring" "$target"
created_files="$target"

# 4. the row counts, against the manifest
psql -X -A -t -v ON_ERROR_STOP=1 -d "$new_db" >"$work/rows.restored" <<'SQL' || fail "cannot count rows in $new_db"
SELECT format('%s.%s', table_schema, table_name) || ' '
       || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
                                                      table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
 ORDER BY table_schema, table_name;
SQL
if ! diff <(LC_ALL=C sort "$work/rows.expected") <(LC_ALL=C sort "$work/rows.restored") >"$work/rows.diff"; then
    sed 's/^/    /' "$work/rows.diff" >&2
    fail "row counts of $new_db differ from the manifest (above: < manifest, > restored)"
fi
files_expected="$(grep -cv '/$' "$work/filestore.list" || true)"
files_restored="$(find "$target" -type f | wc -l)"
((files_expected == files_restored)) \
    || fail "$files_restored files restored in $target, the archive holds $files_expected"

tables="$(wc -l <"$work/rows.restored")"
echo "restore.sh: $source_db restored as $new_db: $tables tables, row counts as in the manifest;" \
    "$files_restored files in $target"
