import { readFileSync, readdirSync } from 'node:fs';

export interface CpuSample {
  /** This process (the server under test and the load generator share it). */
  self: number;
  postgres: number;
  redis: number;
}

/**
 * CPU time in milliseconds used so far by this process and by every PostgreSQL and Redis process,
 * read from /proc (Linux). Differences between two samples show where a benchmark's CPU went,
 * which a noisy 2-core machine's req/s alone does not. Zeros where /proc is missing.
 */
export function sampleCpu(): CpuSample {
  const sample: CpuSample = { self: 0, postgres: 0, redis: 0 };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return sample;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime, in clock ticks (100 per second on Linux).
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    if (pid === String(process.pid)) sample.self += ms;
    else if (name.startsWith('postgres')) sample.postgres += ms;
    else if (name.startsWith('redis')) sample.redis += ms;
  }
  return sample;
}

/** CPU microseconds per operation between two samples. */
export function cpuPerOperation(before: CpuSample, after: CpuSample, operations: number): CpuSample {
  const per = (key: keyof CpuSample) => (operations > 0 ? ((after[key] - before[key]) * 1000) / operations : 0);
  return { self: per('self'), postgres: per('postgres'), redis: per('redis') };
}
