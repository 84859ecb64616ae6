#!/usr/bin/env bash
# Backs up agent-bot's PostgreSQL database with pg_dump (custom format: compressed, restorable
# table by table with pg_restore). PostgreSQL is the record of every task, delivery and chat;
# Redis holds the queue and live events, kept across restarts by its AOF (see DEPLOYMENT.md).
#
#   scripts/backup.sh                      # DATABASE_URL from the environment or .env
#   scripts/backup.sh --compose            # through `docker compose exec postgres`
#   scripts/backup.sh --out /backups/x.dump
#   BACKUP_DIR=/backups BACKUP_KEEP=14 scripts/backup.sh   # keep the 14 newest, delete older ones
set -euo pipefail
cd "$(dirname "$0")/.."

mode=url
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) mode=compose ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "backup: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

backup_dir="${BACKUP_DIR:-backups}"
if [ -z "$out" ]; then
  mkdir -p "$backup_dir"
  out="$backup_dir/agentbot-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi
tmp="$out.partial"
trap 'rm -f "$tmp"' EXIT

if [ "$mode" = compose ]; then
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  "${compose[@]}" exec -T postgres pg_dump -U agentbot -d agentbot --format=custom --no-owner >"$tmp"
else
  if [ -z "${DATABASE_URL:-}" ] && [ -f .env ]; then
    DATABASE_URL="$(sed -n 's/^DATABASE_URL=//p' .env | tail -1)"
  fi
  url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/agentbot}"
  pg_dump --dbname="$url" --format=custom --no-owner --file="$tmp"
fi

# Only a complete dump takes the final name, so a failed run never looks like a backup.
mv "$tmp" "$out"
echo "backup: wrote $out ($(du -h "$out" | cut -f1))"

if [ -n "${BACKUP_KEEP:-}" ] && [ -d "$backup_dir" ]; then
  # shellcheck disable=SC2012 # names are ours: agentbot-<UTC timestamp>.dump
  ls -1t "$backup_dir"/agentbot-*.dump 2>/dev/null | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do
    rm -f "$old" && echo "backup: removed $old (keeping $BACKUP_KEEP)"
  done
fi
