import type { BoardSnapshot, LiveEvent, WsClientMessage, WsServerMessage, WsSubscription } from './types.js';

export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'unavailable';
type Subscription = Extract<WsClientMessage, { type: 'subscribe' }>;
type EventListener = (event: LiveEvent) => void;

interface Entry {
  subscription: Subscription;
  listeners: Set<EventListener>;
  boardListeners: Set<(board: BoardSnapshot) => void>;
}

/** Cursor of a stored event (task_events id, chat message id), so a reconnect resumes after it. */
function cursorOf(event: LiveEvent): string | undefined {
  if (event.kind === 'task.log') return event.eventId;
  if (event.kind === 'chat.message') return event.messageId;
  return undefined;
}

function keyOf(subscription: Subscription): string {
  return subscription.channel === 'task' || subscription.channel === 'bot'
    ? `${subscription.channel}:${subscription.id}`
    : subscription.channel;
}

/**
 * The one WebSocket of the page. Subscriptions survive reconnects: each remembers the last stored
 * event id it saw and resubscribes with `after`, and the server replays what was missed. After a
 * few failed attempts in a row the state turns `unavailable` and pages use their REST fallback
 * (while it keeps trying in the background).
 */
export class LiveClient {
  private socket: WebSocket | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  state: LiveState = 'connecting';

  /** `url` null: live updates are off (the pages use their REST fallback). */
  constructor(private readonly url: string | null) {}

  start() {
    if (this.url === null) this.setState('unavailable');
    else this.connect();
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: LiveState) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect() {
    if (this.url === null) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.failures = 0;
      this.setState('open');
      for (const entry of this.entries.values()) this.sendSubscribe(entry.subscription);
    };
    socket.onmessage = (message) => this.receive(JSON.parse(String(message.data)) as WsServerMessage);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (!opened) this.failures++;
      this.scheduleRetry();
    };
  }

  private scheduleRetry() {
    this.setState(this.failures >= 2 ? 'unavailable' : 'reconnecting');
    clearTimeout(this.retryTimer);
    const delay = Math.min(500 * 2 ** Math.min(this.failures, 5), 10_000);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private receive(message: WsServerMessage) {
    switch (message.type) {
      case 'event': {
        const entry = this.entries.get(message.key);
        if (!entry) return;
        const cursor = cursorOf(message.event);
        if (cursor !== undefined && 'after' in entry.subscription) entry.subscription.after = cursor;
        for (const listener of entry.listeners) listener(message.event);
        return;
      }
      case 'board': {
        for (const listener of this.entries.get('board')?.boardListeners ?? []) listener(message.board);
        return;
      }
      case 'hello':
      case 'subscribed':
      case 'pong':
      case 'error':
        return;
      default: {
        const exhaustive: never = message;
        console.warn('unknown live message', exhaustive);
      }
    }
  }

  private sendSubscribe(subscription: Subscription) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(subscription));
  }

  /**
   * Follows a channel; `after` is the last stored id the page already has (from its REST load),
   * so the server replays only what came after it.
   */
  subscribe(
    subscription: WsSubscription,
    listener: EventListener | undefined,
    boardListener?: (board: BoardSnapshot) => void,
  ): () => void {
    const full = { ...subscription, type: 'subscribe' } as Subscription;
    const key = keyOf(full);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { subscription: full, listeners: new Set(), boardListeners: new Set() };
      this.entries.set(key, entry);
      this.sendSubscribe(full);
    }
    if (listener) entry.listeners.add(listener);
    if (boardListener) entry.boardListeners.add(boardListener);
    const current = entry;
    return () => {
      if (listener) current.listeners.delete(listener);
      if (boardListener) current.boardListeners.delete(boardListener);
      if (current.listeners.size === 0 && current.boardListeners.size === 0) {
        this.entries.delete(key);
        if (this.socket?.readyState === WebSocket.OPEN) {
          this.socket.send(JSON.stringify({ ...current.subscription, type: 'unsubscribe' }));
        }
      }
    };
  }

  /** Test hook and "reconnect" button: drops the socket as a network failure would. */
  drop() {
    this.socket?.close();
  }
}

function socketUrl(): string {
  const url = new URL('/api/ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** `?live=off` in the address disables the WebSocket, to try the REST fallback on purpose. */
export const live = new LiveClient(new URLSearchParams(window.location.search).get('live') === 'off' ? null : socketUrl());
