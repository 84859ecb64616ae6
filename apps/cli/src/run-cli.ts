import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@agent-bot/config';
import { CliError, type CliIo } from './cli-io.js';
import { listDeliveries, replayDelivery } from './commands/deliveries.js';
import { doctor } from './commands/doctor.js';
import { cancelTask, retryTask } from './commands/task-actions.js';
import { listTasks, showTask } from './commands/tasks.js';
import { GatewayClient } from './gateway-client.js';

export const USAGE = `usage: agent-bot <command> [options]

commands:
  doctor                       check configuration, PostgreSQL, Redis and the gateway
  tasks [--status S] [--repo R] [--limit N] [--json]
                               list recent tasks
  task <id> [--json]           show a task, its runs (what each spent) and its event log
  retry <id> [--json]          run a finished task again (as a new task)
  cancel <id> [--reason TEXT] [--json]
                               cancel a queued or running task (stops its agent)
  deliveries [--status S] [--provider P] [--limit N] [--json]
                               list recent webhook deliveries
  replay <delivery-id>         run a stored delivery through ingestion again

options:
  --url URL                    the gateway (default: PUBLIC_URL)
  -h, --help                   this help
`;

/** Runs one command; returns the exit code. Never calls process.exit, so tests run it in-process. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`agent-bot: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.stdout(USAGE);
    return command || values.help ? 0 : 2;
  }
  try {
    if (command === 'doctor') return await doctor(io, { url: values.url });
    const client = gatewayClient(io, values.url);
    switch (command) {
      case 'tasks':
        await listTasks(client, io, values);
        return 0;
      case 'task':
        await showTask(client, io, required(rest[0], 'task <id>'), values);
        return 0;
      case 'retry':
        await retryTask(client, io, required(rest[0], 'retry <task-id>'), values);
        return 0;
      case 'cancel':
        await cancelTask(client, io, required(rest[0], 'cancel <task-id> [--reason TEXT]'), values);
        return 0;
      case 'deliveries':
        await listDeliveries(client, io, values);
        return 0;
      case 'replay':
        await replayDelivery(client, io, required(rest[0], 'replay <delivery-id>'));
        return 0;
      default:
        io.stderr(`agent-bot: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      io.stderr(`agent-bot: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      status: { type: 'string' },
      repo: { type: 'string' },
      provider: { type: 'string' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function required(value: string | undefined, usage: string): string {
  if (!value) throw new CliError(`missing argument: agent-bot ${usage}`, 2);
  return value;
}

function gatewayClient(io: CliIo, url: string | undefined): GatewayClient {
  const config = loadConfig(io.env);
  return new GatewayClient((url ?? config.server.publicUrl).replace(/\/+$/, ''), config.security.adminToken);
}
