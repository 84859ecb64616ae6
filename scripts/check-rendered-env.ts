/**
 * Reads `docker compose config` output on stdin and loads packages/config from the environment
 * each app service would receive, so a value compose renders (an empty optional setting, a
 * default such as OLLAMA_URL) that the apps would refuse at start-up fails here instead.
 * Run by scripts/validate_deployment.sh.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '@agent-bot/config';
import { parse } from 'yaml';

const SERVICES = ['migrate', 'gateway', 'worker'];

const rendered = parse(readFileSync(0, 'utf8')) as {
  services?: Record<string, { environment?: Record<string, string | number | boolean | null> }>;
};
let failed = false;
for (const name of SERVICES) {
  const environment = rendered.services?.[name]?.environment ?? {};
  const env = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value == null ? '' : String(value)]));
  try {
    const config = loadConfig(env);
    console.log(
      `${name}: config loads (production=${config.server.production}, trustProxy=${JSON.stringify(config.proxy.trustProxy)}, ` +
        `claude=${config.agents.claude ? 'on' : 'off'}, ollama=${config.agents.ollama ? 'on' : 'off'})`,
    );
  } catch (error) {
    failed = true;
    const problems = error instanceof ConfigError ? error.problems : [String(error)];
    console.error(`${name}: the environment compose renders is refused:\n${problems.map((p) => `  ✖ ${p}`).join('\n')}`);
  }
}
if (failed) process.exit(1);
