import type { SourceProcess } from './spawn-source.js';
import { waitFor } from './wait-for.js';

/** Waits until `url` answers 200 (e.g. /health/live), failing with the process output if it died. */
export async function waitForHttp(url: string, app: SourceProcess, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `${url} to answer`,
    async () => {
      if (app.child.exitCode !== null) throw new Error(`process exited ${app.child.exitCode}:\n${app.output()}`);
      const response = await fetch(url).catch(() => undefined);
      return response?.ok ?? false;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
