import { getuid } from 'node:process';

/**
 * The command prefix that makes the agent's whole process tree killable at once. The CLI runs as
 * PID 1 of a new PID namespace (`unshare --pid --fork --kill-child`): when it goes, the kernel kills
 * every process in the namespace, including Bash tool commands that started their own session and
 * escape a process-group kill. `setpriv --pdeathsig KILL` ties unshare to this worker, so a
 * worker killed with SIGKILL takes its agents with it instead of leaving them running.
 * Without root, a user namespace is needed for the PID namespace.
 */
export function isolationPrefix(): string[] {
  const userNamespace = typeof getuid === 'function' && getuid() !== 0 ? ['--user', '--map-root-user'] : [];
  return ['setpriv', '--pdeathsig', 'KILL', '--', 'unshare', ...userNamespace, '--pid', '--fork', '--kill-child', '--'];
}
