import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const runSideBySideUrl = new URL('./run-side-by-side.mjs', import.meta.url).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentbot-side-by-side-'));
  // A stand-in for the gateway and the worker that reports every stop signal it gets. They stop through
  // close-with-grace, which takes a second signal as "exit now, skip the drain": one each is the contract.
  const app = `const name = process.argv[1].endsWith('a.mjs') ? 'a' : 'b';
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.log(name + ': got ' + signal);
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 500);
  });
}
setInterval(() => {}, 1000);
console.log(name + ': ready ' + process.pid);
`;
  await Promise.all([writeFile(join(dir, 'a.mjs'), app), writeFile(join(dir, 'b.mjs'), app)]);
  await writeFile(
    join(dir, 'start.mjs'),
    `import { runSideBySide } from '${runSideBySideUrl}';
runSideBySide([['a', 'a.mjs'], ['b', 'b.mjs']], { cwd: process.cwd(), env: process.env });
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function output(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return () => text;
}

async function until(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The stand-in npm start, in its own process group as a terminal's foreground job is, once both report ready. */
async function startBoth() {
  const start = spawn(process.execPath, [join(dir, 'start.mjs')], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const text = output(start);
  await until(() => /a: ready \d+/.test(text()) && /b: ready \d+/.test(text()));
  const pids = ['a', 'b'].map((name) => Number(new RegExp(`${name}: ready (\\d+)`).exec(text())?.[1]));
  return { start, text, pids };
}

describe('scripts/run-side-by-side.mjs (npm start)', () => {
  it('on Ctrl-C (SIGINT to the whole foreground process group) asks each process to stop exactly once, so each drains', async () => {
    const { start, text } = await startBoth();
    const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));

    process.kill(-(start.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
    expect(text().match(/^a: got SIG\w+$/gm)).toHaveLength(1);
    expect(text().match(/^b: got SIG\w+$/gm)).toHaveLength(1);
  });

  it('when npm start itself is killed with SIGKILL, each process it started stops once (drains) instead of running on', async () => {
    const { start, text, pids } = await startBoth();
    expect(pids.every((pid) => alive(pid))).toBe(true);

    // Only npm start's own process, not its group: the children lead groups of their own.
    process.kill(start.pid as number, 'SIGKILL');
    // The children keep writing to the same stdout pipe, so their stop lines still arrive here.
    await until(() => pids.every((pid) => !alive(pid)));
    expect(text().match(/^a: got SIG\w+$/gm)).toEqual(['a: got SIGTERM']);
    expect(text().match(/^b: got SIG\w+$/gm)).toEqual(['b: got SIGTERM']);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
