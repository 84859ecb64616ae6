// Runs `npm start`'s processes side by side: stops them all when one exits, and on Ctrl-C, SIGTERM
// or SIGHUP asks each to stop exactly once, so each drains (the worker hands back running jobs).
import { spawn } from 'node:child_process';

const exitWithParent = new URL('./exit-with-parent.mjs', import.meta.url).href;

/**
 * @param {Array<[name: string, entry: string]>} processes node entry points, run with this Node
 * @param {{ cwd: string | URL, env: NodeJS.ProcessEnv }} options
 */
export function runSideBySide(processes, { cwd, env }) {
  let stopping = false;
  const children = processes.map(([name, entry]) => {
    // Each child leads its own process group. In the terminal's group it would get Ctrl-C's SIGINT
    // from the terminal and then the SIGTERM sent below; close-with-grace takes a second signal as
    // "exit now", so the worker never drained. Outside the terminal's group, a `kill -9` of this
    // process would leave them running: each watches the stdin pipe held here and stops when it closes.
    const child = spawn(process.execPath, ['--import', exitWithParent, entry], {
      cwd,
      env,
      stdio: ['pipe', 'inherit', 'inherit'],
      detached: true,
    });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`start: ${name} exited (${code ?? signal}); stopping the rest`);
        stopAll(code ?? 1);
      }
    });
    return child;
  });

  function stopAll(code) {
    if (stopping) return;
    stopping = true;
    const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
    if (running.length === 0) process.exit(code);
    let remaining = running.length;
    for (const child of running) {
      child.on('exit', () => --remaining === 0 && process.exit(code));
      child.kill('SIGTERM');
    }
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0));
}
