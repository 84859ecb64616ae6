import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the stand-in model. */
export type AnthropicStep =
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; name: string; input: Record<string, unknown> }
  | { kind: 'error'; status: number; type?: string; message?: string }
  /** Accepts the request and never answers (a hung API). */
  | { kind: 'hang' };

export interface RecordedAnthropicRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: {
    model?: string;
    stream?: boolean;
    system?: unknown;
    tools?: { name: string }[];
    messages?: { role: string; content: unknown }[];
  };
}

export interface AnthropicStandIn {
  url: string;
  requests: RecordedAnthropicRequest[];
  /** Requests that carried the agent's tools (the model turns of the task, not side calls). */
  agentTurns(): RecordedAnthropicRequest[];
  close(): Promise<void>;
}

/**
 * A local stand-in of the Anthropic Messages API, enough for the real Claude Code CLI: `HEAD /`
 * and `POST /v1/messages` (with `?beta=true`), streaming server-sent events as the real API does,
 * or plain JSON when the client asks without streaming. Requests offering tools (the agent's
 * turns) take the next scripted step; the CLI's side calls (titles, summaries) get plain text.
 */
export async function startAnthropicStandIn(options: {
  script: AnthropicStep[] | ((turn: number, request: RecordedAnthropicRequest) => AnthropicStep);
  inputTokens?: number;
  outputTokens?: number;
}): Promise<AnthropicStandIn> {
  const requests: RecordedAnthropicRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let turn = 0;
  const nextStep = (request: RecordedAnthropicRequest): AnthropicStep => {
    if (!request.body.tools?.length) return { kind: 'text', text: 'ok' };
    const index = turn++;
    if (typeof options.script === 'function') return options.script(index, request);
    return options.script[Math.min(index, options.script.length - 1)] ?? { kind: 'text', text: 'done' };
  };

  const server: Server = createServer(async (req, res) => {
    if (req.method === 'HEAD' || req.method === 'GET') {
      res.writeHead(200).end();
      return;
    }
    const body = await readJson(req);
    const path = req.url ?? '/';
    if (req.method !== 'POST' || !path.startsWith('/v1/messages')) {
      sendError(res, 404, 'not_found_error', `no route ${req.method} ${path}`);
      return;
    }
    if (path.startsWith('/v1/messages/count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 100 }));
      return;
    }
    const request: RecordedAnthropicRequest = { path, headers: req.headers, body: body as RecordedAnthropicRequest['body'] };
    requests.push(request);
    const step = nextStep(request);
    const usage = { input: options.inputTokens ?? 1200, output: options.outputTokens ?? 300 };
    switch (step.kind) {
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'error':
        sendError(res, step.status, step.type ?? errorType(step.status), step.message ?? `stand-in error ${step.status}`);
        return;
      default:
        if (request.body.stream) sendStream(res, step, request.body.model ?? 'claude-stand-in', usage);
        else sendJson(res, step, request.body.model ?? 'claude-stand-in', usage);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    agentTurns: () => requests.filter((r) => r.body.tools?.length),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${Date.now()}` });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

function block(step: Extract<AnthropicStep, { kind: 'text' | 'tool_use' }>, id: string) {
  return step.kind === 'text' ? { type: 'text', text: step.text } : { type: 'tool_use', id, name: step.name, input: step.input };
}

function sendJson(
  res: ServerResponse,
  step: Extract<AnthropicStep, { kind: 'text' | 'tool_use' }>,
  model: string,
  usage: { input: number; output: number },
): void {
  const id = `toolu_${Math.random().toString(36).slice(2, 14)}`;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [block(step, id)],
      stop_reason: step.kind === 'tool_use' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    }),
  );
}

function sendStream(
  res: ServerResponse,
  step: Extract<AnthropicStep, { kind: 'text' | 'tool_use' }>,
  model: string,
  usage: { input: number; output: number },
): void {
  const id = `toolu_${Math.random().toString(36).slice(2, 14)}`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', {
    type: 'message_start',
    message: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: 1 },
    },
  });
  if (step.kind === 'text') {
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    // Split in two deltas so clients see real streaming.
    const half = Math.ceil(step.text.length / 2);
    for (const part of [step.text.slice(0, half), step.text.slice(half)]) {
      if (part) send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } });
    }
  } else {
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id, name: step.name, input: {} },
    });
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(step.input) },
    });
  }
  send('content_block_stop', { type: 'content_block_stop', index: 0 });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: step.kind === 'tool_use' ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}
