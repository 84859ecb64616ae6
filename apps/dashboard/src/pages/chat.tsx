import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, localTime } from '../lib/api.js';
import { type LiveState, live } from '../lib/live.js';
import { linkHandler } from '../lib/router.js';
import type { BoardBot, ChatMessageView, LiveEvent } from '../lib/types.js';

interface HistoryPage {
  messages: ChatMessageView[];
  has_more: boolean;
}

function fromEvent(event: Extract<LiveEvent, { kind: 'chat.message' }>): ChatMessageView {
  return {
    id: event.messageId,
    bot_id: event.botId,
    role: event.role,
    content: event.content,
    author: null,
    created_at: event.at,
  };
}

/** Adds messages by id, keeping id order (a replayed or echoed message is never shown twice). */
function merge(current: ChatMessageView[], incoming: ChatMessageView[]): ChatMessageView[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export function ChatPage(props: { botId: string; liveState: LiveState }) {
  const { botId } = props;
  const [bot, setBot] = useState<BoardBot | null>(null);
  const [messages, setMessages] = useState<ChatMessageView[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [streams, setStreams] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const lastId = messages.at(-1)?.id;

  const onEvent = (event: LiveEvent) => {
    if (event.kind === 'chat.token') {
      setStreams((current) => ({ ...current, [event.replyTo]: (current[event.replyTo] ?? '') + event.token }));
    } else if (event.kind === 'chat.message') {
      setMessages((current) => merge(current, [fromEvent(event)]));
      const replyTo = event.replyTo;
      if (replyTo !== undefined) {
        setStreams((current) => {
          const { [replyTo]: _done, ...rest } = current;
          return rest;
        });
      }
    } else if (event.kind === 'bot.status') {
      setBot((current) => (current ? { ...current, status: event.status, last_heartbeat_at: event.lastHeartbeatAt } : current));
    }
  };

  // The latest page of history, then live events from after it.
  useEffect(() => {
    setMessages([]);
    setLoaded(false);
    setStreams({});
    api<{ bot: BoardBot }>('GET', `/api/bots/${encodeURIComponent(botId)}`).then(
      (result) => setBot(result.bot),
      (caught: Error) => setError(caught.message),
    );
    api<HistoryPage>('GET', `/api/bots/${encodeURIComponent(botId)}/messages?limit=30`).then(
      (page) => {
        setMessages(page.messages);
        setHasMore(page.has_more);
        setLoaded(true);
      },
      (caught: Error) => setError(caught.message),
    );
  }, [botId]);

  const useFallback = props.liveState === 'unavailable';
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribe once history is loaded; the cursor then lives in the client.
  useEffect(() => {
    if (!loaded || useFallback) return;
    return live.subscribe({ channel: 'bot', id: botId, after: lastId ?? '0' }, onEvent);
  }, [botId, loaded, useFallback]);

  // REST fallback: server-sent events from the last message we have.
  // biome-ignore lint/correctness/useExhaustiveDependencies: opened once per fallback period; EventSource resumes by itself.
  useEffect(() => {
    if (!loaded || !useFallback) return;
    const source = new EventSource(`/api/bots/${encodeURIComponent(botId)}/events?after=${lastId ?? '0'}`);
    const handle = (message: MessageEvent) => onEvent(JSON.parse(String(message.data)) as LiveEvent);
    for (const kind of ['chat.token', 'chat.message', 'bot.status']) source.addEventListener(kind, handle);
    return () => source.close();
  }, [botId, loaded, useFallback]);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages, streams]);

  const loadOlder = async () => {
    const first = messages[0];
    if (!first || !hasMore) return;
    const element = list.current;
    const fromBottom = element ? element.scrollHeight - element.scrollTop : 0;
    const page = await api<HistoryPage>('GET', `/api/bots/${encodeURIComponent(botId)}/messages?limit=30&before=${first.id}`);
    setHasMore(page.has_more);
    stickToBottom.current = false;
    setMessages((current) => merge(current, page.messages));
    // Keep the reader's place: the older page appears above what they were reading.
    requestAnimationFrame(() => {
      if (element) element.scrollTop = element.scrollHeight - fromBottom;
    });
  };

  const onScroll = () => {
    const element = list.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    if (element.scrollTop < 40) void loadOlder();
  };

  const send = async () => {
    const content = draft.trim();
    if (!content) return;
    setError(null);
    setDraft('');
    stickToBottom.current = true;
    try {
      const result = await api<{ message: ChatMessageView }>('POST', `/api/bots/${encodeURIComponent(botId)}/messages`, {
        content,
      });
      setMessages((current) => merge(current, [result.message]));
    } catch (caught) {
      setError((caught as Error).message);
      setDraft(content);
    }
  };

  return (
    <section class="chat">
      <h1>
        <a href="/bots" onClick={linkHandler('/bots')}>
          Bots
        </a>{' '}
        / <span data-testid="chat-bot-id">{botId}</span>{' '}
        {bot && (
          <span class={`status status-${bot.status}`} data-testid="chat-bot-status">
            ● {bot.status}
          </span>
        )}
      </h1>
      {bot && (
        <p class="legend">
          {bot.runner}
          {bot.model ? ` / ${bot.model}` : ''} · last heartbeat {localTime(bot.last_heartbeat_at)}
        </p>
      )}
      {useFallback && (
        <p class="notice" role="status" data-testid="fallback-notice">
          The live connection (WebSocket) is unavailable, so this chat fell back to REST: messages are sent with a normal request
          and the answer streams over server-sent events.
        </p>
      )}
      <div class="messages" ref={list} onScroll={onScroll} data-testid="messages">
        {hasMore && (
          <button type="button" class="link older" onClick={loadOlder}>
            Load older messages
          </button>
        )}
        {loaded && messages.length === 0 && <p class="legend">No messages yet. Say hello.</p>}
        {messages.map((message) => (
          <div key={message.id} class={`message role-${message.role}`} data-role={message.role} data-id={message.id}>
            <div class="meta">
              {message.role === 'user' ? (message.author ?? 'you') : message.role === 'assistant' ? botId : message.role}
              {' · '}
              {localTime(message.created_at)}
            </div>
            <div class="content">{message.content}</div>
          </div>
        ))}
        {Object.entries(streams).map(([replyTo, text]) => (
          <div key={`stream-${replyTo}`} class="message role-assistant streaming" data-testid="streaming">
            <div class="meta">{botId} · typing…</div>
            <div class="content">{text}</div>
          </div>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <textarea
          name="message"
          rows={2}
          placeholder={`Message ${botId} (Enter to send, Shift+Enter for a new line)`}
          value={draft}
          onInput={(event) => setDraft((event.target as HTMLTextAreaElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              void send();
            }
          }}
          data-shortcut="/"
        />
        <button type="submit" disabled={draft.trim() === ''}>
          Send
        </button>
      </form>
    </section>
  );
}
