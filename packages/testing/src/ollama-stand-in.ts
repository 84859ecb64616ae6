import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OllamaStep =
  | { kind: 'text'; text: string }
  | { kind: 'tool_calls'; calls: { name: string; arguments: Record<string, unknown> }[] }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'hang' };

export interface RecordedOllamaChat {
  model: string;
  messages: { role: string; content: string; tool_name?: string }[];
  tools?: { function: { name: string } }[];
}

export interface OllamaStandIn {
  url: string;
  chats: RecordedOllamaChat[];
  close(): Promise<void>;
}

/**
 * A local stand-in of the Ollama API, used through the official `ollama` client: `GET /api/tags`,
 * `POST /api/show` (404 for a model that is not pulled) and `POST /api/chat` streaming NDJSON,
 * answering each chat with the next scripted step (text in small token chunks, or tool calls).
 */
export async function startOllamaStandIn(options: {
  models: string[];
  script: OllamaStep[];
  /** Pause between streamed tokens, so a viewer can watch an answer grow (dashboard tests). */
  tokenDelayMs?: number;
}): Promise<OllamaStandIn> {
  const chats: RecordedOllamaChat[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET' && req.url === '/api/tags') {
      json(200, {
        models: options.models.map((name) => ({
          name,
          model: name,
          modified_at: new Date().toISOString(),
          size: 1,
          digest: 'sha256:0',
          details: {},
        })),
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/api/show') {
      const model = String(body.model ?? body.name ?? '');
      if (!options.models.includes(model)) json(404, { error: `model '${model}' not found` });
      else
        json(200, {
          modelfile: '',
          parameters: '',
          template: '',
          details: {},
          model_info: {},
          capabilities: ['completion', 'tools'],
        });
      return;
    }
    if (req.method === 'POST' && req.url === '/api/chat') {
      const chat = body as unknown as RecordedOllamaChat;
      if (!options.models.includes(chat.model)) {
        json(404, { error: `model '${chat.model}' not found, try pulling it first` });
        return;
      }
      const step = options.script[Math.min(chats.length, options.script.length - 1)] ?? { kind: 'text', text: 'done' };
      chats.push(chat);
      if (step.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (step.kind === 'error') {
        json(step.status, { error: step.message });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
      const at = () => new Date().toISOString();
      if (step.kind === 'text') {
        for (const token of step.text.match(/.{1,4}/gs) ?? []) {
          line({ model: chat.model, created_at: at(), message: { role: 'assistant', content: token }, done: false });
          if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
        }
      } else {
        line({
          model: chat.model,
          created_at: at(),
          message: { role: 'assistant', content: '', tool_calls: step.calls.map((call) => ({ function: call })) },
          done: false,
        });
      }
      line({
        model: chat.model,
        created_at: at(),
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'stop',
        total_duration: 1000,
        prompt_eval_count: 200,
        eval_count: 50,
      });
      res.end();
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chats,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return {};
  }
}
