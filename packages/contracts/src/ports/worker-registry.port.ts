/** A worker process announcing itself; entries expire when heartbeats stop. */
export interface WorkerInfo {
  id: string;
  hostname: string;
  pid: number;
  concurrency: number;
  active: number;
  startedAt: string;
  lastSeenAt: string;
}

export interface WorkerRegistry {
  heartbeat(info: WorkerInfo): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<WorkerInfo[]>;
}
