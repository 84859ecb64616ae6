/**
 * The real worker process (runWorkerProcess, as main.ts runs it) with SleepRunner answering for
 * "noop". Usage: sleep-worker.ts [slow|fast]; configuration comes from the environment as usual.
 */
import { loadConfig } from '@agent-bot/config';
import { runWorkerProcess } from '../worker-process.js';
import { SleepRunner } from './sleep-runner.js';

const mode = process.argv[2] === 'fast' ? 'fast' : 'slow';
await runWorkerProcess(loadConfig(), { runners: { noop: new SleepRunner(mode) }, defaultRunner: 'noop' });
