import type { WsClientMessage, WsServerMessage } from '@agent-bot/contracts';
import { waitFor } from '@agent-bot/testing';
import { WebSocket } from 'ws';

export interface TestSocket {
  socket: WebSocket;
  messages: WsServerMessage[];
  send(message: WsClientMessage): void;
  /** Waits until `predicate` holds for the messages received so far. */
  until<T>(what: string, predicate: (messages: WsServerMessage[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Opens the live socket like a browser would (cookie + Origin) and records every frame. */
export async function openTestSocket(url: string, headers: Record<string, string>): Promise<TestSocket> {
  const socket = new WebSocket(url, { headers });
  const messages: WsServerMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as WsServerMessage));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { statusCode: response.statusCode })),
    );
  });
  return {
    socket,
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    until: (what, predicate, timeoutMs = 10_000) => waitFor(what, () => predicate(messages), { timeoutMs, intervalMs: 10 }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
