#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh, replacing what the database holds now, then applies
# any migrations newer than the backup. Stop the gateway and workers first:
#   docker compose stop gateway worker
#   scripts/restore.sh --yes backups/agentbot-20260101T000000Z.dump             # DATABASE_URL or .env
#   scripts/restore.sh --yes --compose backups/agentbot-20260101T000000Z.dump   # into the compose postgres
#   docker compose up -d        # the migrate service brings the schema up to date
set -euo pipefail
cd "$(dirname "$0")/.."

mode=url
confirmed=false
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) mode=compose ;;
    --yes) confirmed=true ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "restore: unknown option $1" >&2; exit 2 ;;
    *) file="$1" ;;
  esac
  shift
done

[ -n "$file" ] || { echo "restore: which backup? usage: scripts/restore.sh --yes FILE" >&2; exit 2; }
[ -r "$file" ] || { echo "restore: cannot read $file" >&2; exit 2; }
pg_restore --list "$file" >/dev/null || { echo "restore: $file is not a pg_dump custom-format archive" >&2; exit 2; }
if [ "$confirmed" != true ]; then
  echo "restore: this replaces the current contents of the database with $file; run again with --yes" >&2
  exit 2
fi

# --clean --if-exists drops each object before recreating it; --single-transaction makes the
# restore all or nothing.
if [ "$mode" = compose ]; then
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  "${compose[@]}" exec -T postgres pg_restore -U agentbot -d agentbot --clean --if-exists --no-owner --single-transaction <"$file"
  echo "restore: restored $file into the compose database; start the stack (docker compose up -d) to apply newer migrations"
else
  if [ -z "${DATABASE_URL:-}" ] && [ -f .env ]; then
    DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' .env | tail -1)"
  fi
  url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/agentbot}"
  pg_restore --dbname="$url" --clean --if-exists --no-owner --single-transaction "$file"
  echo "restore: restored $file; run npm run migrate (or the compose migrate service) for newer migrations"
fi
