#!/usr/bin/env bash
# Validates the deployment files without Docker running:
#   1. docker-compose.yml, .env.example and packages/config agree (scripts/check-deployment-env.ts);
#   2. `docker compose config` accepts the file with a sample .env, the ollama profile included;
#   3. the environment each app service receives loads with packages/config (sample and full .env);
#   4. it refuses to render when a required secret is missing, naming it;
#   5. the Dockerfile keeps its guarantees (Node 22, turbo prune, non-root, HEALTHCHECK, worker tools,
#      the Claude Code CLI, the dashboard in the gateway image).
# Needs Node and either `docker compose` or Debian's `docker-compose` (apt-get install -y docker-compose).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "validate_deployment: $*" >&2; exit 1; }
step() { printf '\n--- %s\n' "$*"; }

step "env consistency"
node --import tsx --conditions=@agent-bot/source scripts/check-deployment-env.ts

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  fail "neither 'docker compose' nor 'docker-compose' is installed (Debian: apt-get install -y docker-compose)"
fi

sample_env="$(mktemp)"
trap 'rm -f "$sample_env"' EXIT
# .env.example with the required secrets filled in, as an operator would.
sed -e 's/^ADMIN_TOKEN=.*/ADMIN_TOKEN=sample-admin-token-0123456789abcdef/' \
    -e 's/^ENCRYPTION_KEY=.*/ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' \
    -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=sample-password/' .env.example >"$sample_env"

step "${compose[*]} config (sample env)"
"${compose[@]}" --env-file "$sample_env" -f docker-compose.yml config -q
services="$("${compose[@]}" --env-file "$sample_env" -f docker-compose.yml --profile ollama config --services)"
echo "services: $(sort <<<"$services" | tr '\n' ' ')"
for service in postgres redis migrate gateway worker ollama; do
  grep -qx "$service" <<<"$services" || fail "service $service missing"
done
rendered="$("${compose[@]}" --env-file "$sample_env" -f docker-compose.yml --profile ollama config)"
grep -q 'noeviction' <<<"$rendered" || fail "redis must run with --maxmemory-policy noeviction"
grep -q 'everysec' <<<"$rendered" || fail "redis must run with --appendfsync everysec"
[ "$(grep -c 'healthcheck:' <<<"$rendered")" -ge 6 ] || fail "every service needs a healthcheck"
grep -q 'service_completed_successfully' <<<"$rendered" || fail "gateway/worker must wait for migrate"

step "the rendered environments load (packages/config)"
node --import tsx --conditions=@agent-bot/source scripts/check-rendered-env.ts <<<"$rendered"
# With every optional setting filled in, they still load and reach the apps.
full_env="$(mktemp)"
trap 'rm -f "$sample_env" "$full_env"' EXIT
cat "$sample_env" >"$full_env"
cat >>"$full_env" <<'SAMPLE'
ANTHROPIC_API_KEY=sk-ant-sample
OLLAMA_MODEL=llama3.2
TRUST_PROXY=172.16.0.0/12
SLACK_SIGNING_SECRET=sample-slack
SAMPLE
full_rendered="$("${compose[@]}" --env-file "$full_env" -f docker-compose.yml --profile ollama config)"
full_report="$(node --import tsx --conditions=@agent-bot/source scripts/check-rendered-env.ts <<<"$full_rendered")"
echo "$full_report"
grep -q '^gateway: .*trustProxy=\["172.16.0.0/12"\]' <<<"$full_report" || fail "TRUST_PROXY does not reach the gateway"
grep -q '^worker: .*claude=on, ollama=on' <<<"$full_report" || fail "agent settings do not reach the worker"

step "required secrets are enforced"
for secret in ADMIN_TOKEN ENCRYPTION_KEY POSTGRES_PASSWORD; do
  missing_env="$(mktemp)"
  grep -v "^${secret}=" "$sample_env" >"$missing_env"
  if output="$(env -u "$secret" "${compose[@]}" --env-file "$missing_env" -f docker-compose.yml config 2>&1)"; then
    rm -f "$missing_env"
    fail "docker-compose.yml renders without $secret"
  fi
  rm -f "$missing_env"
  grep -q "set ${secret}" <<<"$output" || fail "missing $secret is not explained: $output"
  echo "without $secret: refused ($(grep -o "set ${secret}[^\"']*" <<<"$output" | head -1))"
done

step "Dockerfile"
grep -q 'node:22-bookworm-slim' docker/Dockerfile || fail "Dockerfile must use node:22-bookworm-slim"
grep -q 'turbo prune' docker/Dockerfile || fail "Dockerfile must build from a turbo prune"
grep -q '^USER node' docker/Dockerfile || fail "Dockerfile must run as the non-root node user"
grep -q '^HEALTHCHECK' docker/Dockerfile || fail "Dockerfile needs a HEALTHCHECK"
grep -q 'npm prune --omit=dev' docker/Dockerfile || fail "final stage must hold production dependencies only"
grep -q '^FROM app-\${APP} AS runtime' docker/Dockerfile || fail "the runtime stage must build on the app's own stage"
# The worker runs git, setpriv/unshare (util-linux) and TLS at task time.
apt_line="$(grep 'apt-get install' docker/Dockerfile)"
for package in git util-linux ca-certificates tini; do
  grep -qw "$package" <<<"$apt_line" || fail "runtime image must install $package"
done
# The Claude Code CLI, pinned to an exact version, where CLAUDE_BIN points.
claude_version="$(grep -o '^ARG CLAUDE_CODE_VERSION=[0-9][0-9.]*$' docker/Dockerfile | cut -d= -f2)"
[ -n "$claude_version" ] || fail "Dockerfile must pin CLAUDE_CODE_VERSION to an exact version"
grep -q 'npm install -g "@anthropic-ai/claude-code@\${CLAUDE_CODE_VERSION}"' docker/Dockerfile || fail "worker stage must install the pinned Claude Code CLI"
grep -q 'claude --version' docker/Dockerfile || fail "worker stage must check that the CLI runs"
grep -q 'CLAUDE_BIN=/usr/local/bin/claude' docker/Dockerfile || fail "worker image must set CLAUDE_BIN to the installed CLI"
# The gateway image builds the dashboard and points DASHBOARD_DIR at it (main.ts's default path).
grep -q 'scopes="@agent-bot/gateway @agent-bot/dashboard"' docker/Dockerfile || fail "gateway prune must include the dashboard"
grep -q -- '--filter=@agent-bot/dashboard' docker/Dockerfile || fail "gateway build must build the dashboard"
grep -q 'test -f apps/dashboard/dist/index.html' docker/Dockerfile || fail "gateway build must check the dashboard build"
grep -q 'DASHBOARD_DIR=/app/apps/dashboard/dist' docker/Dockerfile || fail "gateway image must set DASHBOARD_DIR"
echo "Dockerfile: Node 22, prune, non-root, git/util-linux/tini, Claude Code $claude_version, dashboard"

printf '\nvalidate_deployment: OK\n'
