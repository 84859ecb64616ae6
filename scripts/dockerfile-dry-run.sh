#!/usr/bin/env bash
# Walks docker/Dockerfile's build steps for one app without a Docker engine, in a temp dir:
#   prune (turbo prune, as the prune stage) -> build (npm install, turbo build, npm prune) ->
#   the files the runtime stage copies and starts: apps/<app>/dist/main.js, and for the gateway
#   the dashboard at the DASHBOARD_DIR the image sets.
# Usage: scripts/dockerfile-dry-run.sh gateway|worker [workdir]   (needs npm registry access)
# Slow (a full npm install and build): run by hand when docker/Dockerfile changes, not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:?usage: scripts/dockerfile-dry-run.sh gateway|worker [workdir]}"
work="${2:-$(mktemp -d -t agentbot-dockerfile-XXXXXX)}"
fail() { echo "dockerfile-dry-run: $*" >&2; exit 1; }
step() { printf '\n--- %s (%s)\n' "$*" "$(date -u +%T)"; }
dockerfile_value() { grep -o "$1=[^ ]*" docker/Dockerfile | head -1 | cut -d= -f2; }

turbo_version="$(grep -o 'turbo@[0-9.]*' docker/Dockerfile | head -1 | cut -d@ -f2)"
dashboard_dir="$(dockerfile_value DASHBOARD_DIR)"
[ -n "$dashboard_dir" ] || fail "docker/Dockerfile sets no DASHBOARD_DIR"
echo "work dir: $work (turbo $turbo_version)"

step "context (.dockerignore applied)"
mkdir -p "$work/context" "$work/build"
# The build context without what .dockerignore leaves out (rsync understands the same globs).
rsync -a --exclude-from=<(grep -v '^#' .dockerignore | grep -v '^!' | grep -v '^$' | sed 's#^\*\*/##') \
  --include=.env.example ./ "$work/context/"
cp .env.example "$work/context/.env.example"
[ ! -e "$work/context/.env" ] || fail ".env would be sent to the Docker build"

step "prune stage: turbo prune"
if [ "$app" = gateway ]; then scopes=(@agent-bot/gateway @agent-bot/dashboard); else scopes=("@agent-bot/$app"); fi
(cd "$work/context" && npx --yes "turbo@$turbo_version" prune "${scopes[@]}" --docker >/dev/null)
echo "pruned workspaces: $(cd "$work/context/out/json" && ls -d apps/* packages/* | tr '\n' ' ')"

step "build stage: npm install, turbo build, npm prune --omit=dev"
cp -a "$work/context/out/json/." "$work/build/"
(cd "$work/build" && npm install --ignore-scripts --no-audit --no-fund >/dev/null)
cp -a "$work/context/out/full/." "$work/build/"
cp tsconfig.base.json "$work/build/"
extra=()
[ "$app" = gateway ] && extra=(--filter=@agent-bot/dashboard)
(cd "$work/build" && npx turbo run build --filter="@agent-bot/${app}..." "${extra[@]}" --output-logs=errors-only >/dev/null)
(cd "$work/build" && npm prune --omit=dev --no-audit --no-fund >/dev/null && rm -rf .turbo node_modules/.cache)

step "runtime stage: the files it copies and starts"
runtime="$work/runtime"
mkdir -p "$runtime/scripts" "$runtime/docker"
cp -a "$work/build/package.json" "$work/build/node_modules" "$work/build/packages" "$work/build/apps" "$runtime/"
cp -a database "$runtime/"
cp scripts/migrate.mjs scripts/load-env-file.mjs "$runtime/scripts/"
cp docker/healthcheck.mjs "$runtime/docker/"
[ -f "$runtime/apps/$app/dist/main.js" ] || fail "apps/$app/dist/main.js missing"
# Every workspace package the app imports resolves to built JavaScript (no TypeScript sources at runtime).
(cd "$runtime" && NODE_ENV=production node --input-type=module -e "
  const { readFileSync } = await import('node:fs');
  const deps = Object.keys(JSON.parse(readFileSync('apps/$app/package.json', 'utf8')).dependencies ?? {})
    .filter((name) => name.startsWith('@agent-bot/'));
  for (const name of deps) {
    const url = import.meta.resolve(name, new URL('file://$runtime/apps/$app/'));
    if (!url.includes('/dist/')) throw new Error(name + ' resolves to ' + url);
    await import(url);
  }
  console.log('workspace packages load from dist: ' + deps.join(' '));
  // Every module main.js imports loads with production dependencies only (main.js itself would start).
  const main = readFileSync('apps/$app/dist/main.js', 'utf8');
  const modules = [...main.matchAll(/from '(\\.[^']+)'/g)].map((match) => match[1]);
  for (const module of modules) await import(new URL(module, 'file://$runtime/apps/$app/dist/').href);
  console.log('modules main.js imports load: ' + modules.length);
")
if [ "$app" = gateway ]; then
  local_dir="$runtime${dashboard_dir#/app}"
  [ -f "$local_dir/index.html" ] || fail "dashboard missing at DASHBOARD_DIR=$dashboard_dir"
  assets="$(grep -o 'src="[^"]*\.js"\|href="[^"]*\.css"' "$local_dir/index.html" | sed 's/.*="\(.*\)"/\1/')"
  [ -n "$assets" ] || fail "dashboard index.html references no assets"
  for asset in $assets; do
    [ -f "$local_dir/${asset#/}" ] || fail "dashboard asset $asset missing"
  done
  echo "dashboard at $dashboard_dir: index.html and $(wc -w <<<"$assets") assets"
  # main.ts's default (apps/dashboard/dist beside the gateway) is the same directory.
  [ "$dashboard_dir" = /app/apps/dashboard/dist ] || fail "DASHBOARD_DIR differs from the gateway's default path"
  [ -f "$runtime/scripts/migrate.mjs" ] || fail "migrate.mjs missing"
fi
if [ "$app" = worker ]; then
  # The app-worker stage: the pinned CLI installs and starts (--version) where CLAUDE_BIN points.
  claude_version="$(grep -o '^ARG CLAUDE_CODE_VERSION=[0-9.]*' docker/Dockerfile | cut -d= -f2)"
  npm install -g --prefix "$work/cli" "@anthropic-ai/claude-code@$claude_version" --no-audit --no-fund >/dev/null 2>&1 \
    || fail "npm install -g @anthropic-ai/claude-code@$claude_version failed"
  echo "Claude Code CLI: $("$work/cli/bin/claude" --version) (CLAUDE_BIN=$(dockerfile_value CLAUDE_BIN))"
fi
# Development tools are gone (typescript may stay: @bull-board's valibot lists it as a peer).
for tool in vitest turbo @biomejs/biome vite tsx; do
  [ ! -e "$runtime/node_modules/$tool" ] || fail "dev dependency $tool left in the runtime image"
done
printf '\ndockerfile-dry-run %s: OK (%s, %s)\n' "$app" "$work" "$(du -sh "$runtime" | cut -f1)"
