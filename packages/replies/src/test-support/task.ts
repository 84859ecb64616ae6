import type { Provider, Task } from '@agent-bot/contracts';

/** A stored task as the worker reads it, with the context ingestion wrote for `source`. */
export function taskFrom(source: Provider, context: Record<string, unknown>): Task {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'answer',
    status: 'running',
    priority: 'P1',
    source,
    prompt: 'why is the build red?',
    title: 'why is the build red?',
    repo: null,
    installationId: null,
    requestedBy: 'alice',
    runner: null,
    model: null,
    botId: null,
    deliveryId: null,
    context,
    attempts: 1,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    result: {},
    errorCode: null,
    errorMessage: null,
    createdAt: new Date(),
    startedAt: new Date(),
    finishedAt: null,
    heartbeatAt: null,
    publishingAt: null,
    durationMs: null,
  };
}
