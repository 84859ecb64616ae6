import { ConfigError, loadConfig } from '@agent-bot/config';
import { buildRunners } from './build-pipeline-deps.js';
import { runWorkerProcess } from './worker-process.js';

async function main(): Promise<void> {
  const config = loadConfig();
  await runWorkerProcess(config, buildRunners(config));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { expected?: boolean }).expected !== undefined) {
    process.stderr.write(`agent-bot worker: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`agent-bot worker failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
