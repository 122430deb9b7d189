#!/usr/bin/env bash
# Restore drill of the centre (issue 21): back up the database and the files folder,
# lose the database, restore both, and check that what came back is what was saved.
# Run it on a STAGING copy (it drops the database it is given), with the centre stopped:
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua \
#   MOTCUA_CENTRE_FILES_DIR=/var/lib/motcua-centre/files \
#   BACKUP_DIR=/var/backups/motcua-drill  bash restore-drill.sh
#
# PG_BIN may name the folder of pg_dump/pg_restore/psql (default: on PATH).
# Exit 0 and "Diễn tập khôi phục: đạt" when the counts match; the desks then sync on.
set -euo pipefail

: "${DATABASE_URL:?thiếu DATABASE_URL (cơ sở dữ liệu cần diễn tập)}"
: "${BACKUP_DIR:?thiếu BACKUP_DIR (thư mục giữ bản sao lưu)}"
FILES_DIR=${MOTCUA_CENTRE_FILES_DIR:-}
bin=${PG_BIN:+$PG_BIN/}

db_name=${DATABASE_URL##*/}
db_name=${db_name%%\?*}
admin_url=${DATABASE_URL%/*}/postgres
[[ $db_name =~ ^[A-Za-z0-9_]+$ ]] || { echo "Lỗi: tên cơ sở dữ liệu '$db_name' không hợp lệ" >&2; exit 2; }

counts() {
  "${bin}psql" -X -A -t -q -d "$DATABASE_URL" -c \
    "SELECT (SELECT count(*) FROM event) || ' ' || (SELECT count(*) FROM desk) || ' ' ||
            (SELECT count(*) FROM quarantine) || ' ' || (SELECT count(*) FROM file_blob) || ' ' ||
            (SELECT max(version) FROM schema_version)"
}

mkdir -p "$BACKUP_DIR"
before=$(counts)
echo "Trước: sự kiện, quầy, cách ly, tệp, lược đồ = $before"

# 1. Back up: a custom-format dump (consistent snapshot) and the files folder.
"${bin}pg_dump" -Fc -d "$DATABASE_URL" -f "$BACKUP_DIR/centre.dump"
if [[ -n $FILES_DIR && -d $FILES_DIR ]]; then
  tar -C "$FILES_DIR" -cf "$BACKUP_DIR/files.tar" .
fi
echo "Đã sao lưu vào $BACKUP_DIR"

# 2. Lose the database (and the files).
"${bin}psql" -X -q -d "$admin_url" -c "DROP DATABASE \"$db_name\" WITH (FORCE)"
if [[ -n $FILES_DIR && -d $FILES_DIR ]]; then
  find "$FILES_DIR" -mindepth 1 -delete
fi
echo "Đã xóa cơ sở dữ liệu $db_name"

# 3. Restore.
"${bin}psql" -X -q -d "$admin_url" -c "CREATE DATABASE \"$db_name\""
"${bin}pg_restore" --exit-on-error --no-owner -d "$DATABASE_URL" "$BACKUP_DIR/centre.dump"
if [[ -f $BACKUP_DIR/files.tar && -n $FILES_DIR ]]; then
  mkdir -p "$FILES_DIR"
  tar -C "$FILES_DIR" -xf "$BACKUP_DIR/files.tar"
fi

# 4. Check.
after=$(counts)
echo "Sau:   sự kiện, quầy, cách ly, tệp, lược đồ = $after"
if [[ $before != "$after" ]]; then
  echo "Diễn tập khôi phục: KHÔNG đạt (số liệu khác nhau)" >&2
  exit 1
fi
echo "Diễn tập khôi phục: đạt"
