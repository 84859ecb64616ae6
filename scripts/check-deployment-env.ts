/**
 * Keeps docker-compose.yml, .env.example and packages/config in step:
 * - every variable set in the environment of our services (gateway, worker, migrate) is one that
 *   packages/config reads, or a secret's NAME_FILE form;
 * - every ${VAR} that docker-compose.yml interpolates is documented in .env.example;
 * - every variable packages/config reads is documented in .env.example;
 * - each service receives every setting of the concerns its app reads (SERVICE_NEEDS), so an
 *   operator's .env value is not silently dropped on the way into the container;
 * - the worker's stop_grace_period exceeds its default drain time, so Docker never SIGKILLs a drain.
 * Run by scripts/validate_deployment.sh and by check-deployment-env.test.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_GROUPS, CONFIG_VARIABLES, SECRET_NAMES, loadConfig } from '@agent-bot/config';
import { parse } from 'yaml';

const OUR_SERVICES = ['gateway', 'worker', 'migrate'];

type ConfigGroup = keyof typeof CONFIG_GROUPS;

interface ServiceNeeds {
  /** Config concerns the service's app reads: each of their variables must be passed. */
  groups: ConfigGroup[];
  /** Single variables read from other concerns. */
  also: string[];
  /** Variables of those concerns deliberately not passed, with the reason. */
  except: Record<string, string>;
}

/**
 * Set by docker/Dockerfile (ENV) to paths inside the image. Compose must not pass them: an unset
 * `${NAME:-}` arrives empty and hides the image's value.
 */
export const IMAGE_SETS: Record<string, string> = {
  CLAUDE_BIN: '/usr/local/bin/claude',
  DASHBOARD_DIR: '/app/apps/dashboard/dist',
};

/** What each compose service must pass through (apps/<app>/src reads these AppConfig sections). */
export const SERVICE_NEEDS: Record<string, ServiceNeeds> = {
  gateway: {
    groups: ['server', 'database', 'redis', 'security', 'webhooks', 'github', 'dashboard', 'proxy'],
    also: [],
    except: {
      DASHBOARD_DIR: 'the image sets it to where the dashboard is built',
      BOT_HEARTBEAT_INTERVAL_SECONDS: 'read by the worker only',
    },
  },
  worker: {
    groups: ['server', 'database', 'redis', 'security', 'worker', 'agents', 'github', 'replies'],
    also: ['BOT_HEARTBEAT_INTERVAL_SECONDS'],
    except: {
      SESSION_TTL_HOURS: 'dashboard sign-ins live in the gateway',
      CLAUDE_BIN: 'the image sets it to the CLI it installs',
    },
  },
  migrate: {
    groups: ['database'],
    // loadConfig checks these in production before migrate.mjs runs.
    also: ['NODE_ENV', 'ADMIN_TOKEN', 'ENCRYPTION_KEY'],
    except: {},
  },
};

export interface DeploymentFiles {
  compose: string;
  envExample: string;
  dockerfile: string;
}

export function readDeploymentFiles(root: URL = new URL('../', import.meta.url)): DeploymentFiles {
  return {
    compose: readFileSync(new URL('docker-compose.yml', root), 'utf8'),
    envExample: readFileSync(new URL('.env.example', root), 'utf8'),
    dockerfile: readFileSync(new URL('docker/Dockerfile', root), 'utf8'),
  };
}

/** Names in .env.example, set (`NAME=`) or commented out (`# NAME=`). */
export function documentedVariables(envExample: string): Set<string> {
  return new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] as string));
}

/** Names interpolated as ${NAME}, ${NAME:-default} or ${NAME:?hint}. */
export function interpolatedVariables(compose: string): Set<string> {
  return new Set([...compose.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string));
}

export function serviceEnvironmentVariables(compose: string): Map<string, string[]> {
  const document = parse(compose, { merge: true }) as { services?: Record<string, { environment?: unknown }> };
  const result = new Map<string, string[]>();
  for (const [name, service] of Object.entries(document.services ?? {})) {
    const environment = service.environment;
    const keys = Array.isArray(environment)
      ? environment.map((entry) => String(entry).split('=')[0] as string)
      : Object.keys((environment as Record<string, unknown> | undefined) ?? {});
    result.set(name, keys);
  }
  return result;
}

function gracePeriodSeconds(compose: string): number {
  const document = parse(compose, { merge: true }) as { services?: Record<string, { stop_grace_period?: string }> };
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(document.services?.worker?.stop_grace_period ?? '');
  return match ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : Number.NaN;
}

export function checkDeploymentEnv(files: DeploymentFiles): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...CONFIG_VARIABLES, ...SECRET_NAMES.map((name) => `${name}_FILE`)]);
  const documented = documentedVariables(files.envExample);
  const services = serviceEnvironmentVariables(files.compose);

  for (const service of OUR_SERVICES) {
    const keys = services.get(service);
    if (!keys) {
      problems.push(`docker-compose.yml: service "${service}" is missing`);
      continue;
    }
    for (const key of keys) {
      if (!known.has(key)) problems.push(`docker-compose.yml: ${service} sets ${key}, which packages/config does not read`);
      if (key in IMAGE_SETS) {
        problems.push(
          `docker-compose.yml: ${service} sets ${key}, which the image sets (${IMAGE_SETS[key]}); leave it to the image`,
        );
      }
    }
    const needs = SERVICE_NEEDS[service];
    if (!needs) continue;
    const passed = new Set(keys);
    const needed = [...needs.groups.flatMap((group) => CONFIG_GROUPS[group]), ...needs.also];
    for (const name of needed) {
      if (!passed.has(name) && !(name in needs.except)) {
        problems.push(`docker-compose.yml: ${service} needs ${name} (packages/config reads it) but compose does not pass it`);
      }
    }
  }
  for (const name of interpolatedVariables(files.compose)) {
    if (!documented.has(name)) problems.push(`docker-compose.yml interpolates \${${name}}, which .env.example does not document`);
  }
  const grace = gracePeriodSeconds(files.compose);
  // The compose default when it states one, else the code's default (`${WORKER_DRAIN_SECONDS:-}`).
  const composeDrain = /WORKER_DRAIN_SECONDS:\s*\$\{WORKER_DRAIN_SECONDS:-(\d*)\}/.exec(files.compose)?.[1];
  const drain =
    composeDrain === undefined ? Number.NaN : composeDrain === '' ? loadConfig({}).worker.drainMs / 1000 : Number(composeDrain);
  if (!(grace > drain)) {
    problems.push(`docker-compose.yml: worker stop_grace_period (${grace} s) must exceed WORKER_DRAIN_SECONDS (${drain} s)`);
  }
  const dockerfileWords = new Set(files.dockerfile.split(/\s+/));
  for (const [name, value] of Object.entries(IMAGE_SETS)) {
    if (!dockerfileWords.has(`${name}=${value}`)) problems.push(`docker/Dockerfile: must set ENV ${name}=${value}`);
  }
  for (const name of CONFIG_VARIABLES) {
    if (!documented.has(name)) problems.push(`.env.example does not document ${name}, which packages/config reads`);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkDeploymentEnv(readDeploymentFiles());
  if (problems.length > 0) {
    for (const problem of problems) console.error(`  ✖ ${problem}`);
    process.exit(1);
  }
  console.log('deployment env: docker-compose.yml, .env.example and packages/config agree');
}
