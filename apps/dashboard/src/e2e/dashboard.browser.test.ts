import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runManifestFlow } from '../../../gateway/src/test-support/github-flow.js';
import { TEST_ADMIN_TOKEN, githubHeaders } from '../../../gateway/src/test-support/test-gateway.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskRequestSchema } from '@agent-bot/contracts';
import { createLogger } from '@agent-bot/observability';
import { startPublishing } from '../../../worker/src/pipeline/start-publishing.js';
import { TaskReporter } from '../../../worker/src/pipeline/task-reporter.js';
import { launchChromium, screenshot } from './browser.js';
import { OLLAMA_ANSWERS, type Stack, buildDashboard, startStack } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: published webhook examples are arbitrary JSON
type WebhookExample = Record<string, any>;
/** A payload from GitHub's published examples (npm @octokit/webhooks-examples). */
function webhookExample(event: string, action: string): WebhookExample {
  const path = createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json');
  const groups = JSON.parse(readFileSync(path, 'utf8')) as Array<{ name: string; examples: WebhookExample[] }>;
  const example = groups.find((group) => group.name === event)?.examples.find((e) => e.action === action);
  if (!example) throw new Error(`no ${event}.${action} example`);
  return structuredClone(example);
}

const STALE_AFTER_MS = 2500;

describe('dashboard in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** The task the live-log test ran to the end: it has a run, shown on its page. */
  let ranTaskId = '';

  beforeAll(async () => {
    buildDashboard();
    stack = await startStack({ botStaleAfterMs: STALE_AFTER_MS, botHeartbeatIntervalMs: 400 });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers no GitHub sign-in before a GitHub App exists, and leads the operator to /setup', async () => {
    await page.goto(`${stack.baseUrl}/`);
    const unavailable = page.getByTestId('github-unavailable');
    await unavailable.waitFor();
    // A disabled button, not a link to a 503 page, with a line saying how to enable it.
    expect(await page.getByRole('link', { name: 'Sign in with GitHub' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in with GitHub' }).isDisabled()).toBe(true);
    expect(await unavailable.textContent()).toContain('creates a GitHub App at /setup');
    await screenshot(page, '01-sign-in');
    await page.getByRole('link', { name: 'Set up a GitHub App' }).click();
    await page.waitForURL(/\/signin\?next=%2Fsetup$/);
    await page.getByLabel('Operator? Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in with admin token' }).click();
    await page.waitForURL(`${stack.baseUrl}/setup`);
    await page.locator('form[method="post"] input[name="manifest"]').waitFor({ state: 'attached' });
    await screenshot(page, '01b-setup-after-sign-in');
    await page.request.delete(`${stack.baseUrl}/api/session`);
  });

  it('offers GitHub sign-in once the app has OAuth credentials', async () => {
    await runManifestFlow(stack.gateway.app);
    await page.goto(`${stack.baseUrl}/`);
    await page.getByRole('link', { name: 'Sign in with GitHub' }).waitFor();
    expect(await page.getByRole('link', { name: 'Sign in with GitHub' }).getAttribute('href')).toMatch(
      /^\/oauth\/github\/authorize/,
    );
    expect(await page.getByTestId('github-unavailable').count()).toBe(0);
    await screenshot(page, '01c-sign-in-github-available');
  });

  it('signs in with the admin token', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await page.getByLabel('Operator? Admin token').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Sign in with admin token' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.getByLabel('Operator? Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in with admin token' }).click();
    await page.getByRole('heading', { name: 'Bots' }).waitFor();
    await page.locator('[data-testid="live-state"][data-state="open"]').waitFor();
  });

  it('launches a bot and sees it online with its last heartbeat in local time', async () => {
    await page.keyboard.press('n');
    await page.getByLabel('Id').fill('OLLAMA-CHAT-001');
    await page.getByLabel('Runner').selectOption('ollama');
    await page.getByLabel('Model').fill('llama3.2');
    await page.getByLabel('System prompt').fill('Answer briefly.');
    await page.getByRole('button', { name: 'Launch' }).click();
    const row = page.locator('tr[data-bot="OLLAMA-CHAT-001"]');
    await row.waitFor();
    // The whole id is shown, never truncated.
    expect(await row.locator('.bot-id a').textContent()).toBe('OLLAMA-CHAT-001');
    // Pushed over the WebSocket once the worker heartbeats it.
    await page.locator('tr[data-bot="OLLAMA-CHAT-001"][data-status="online"]').waitFor();
    const heartbeat = row.getByTestId('heartbeat');
    const utc = (await heartbeat.getAttribute('datetime')) as string;
    expect(utc).toMatch(/Z$/);
    const expectedLocal = new Date(utc).toLocaleString('en-GB', {
      timeZone: 'Asia/Tokyo',
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    expect(await heartbeat.textContent()).toBe(expectedLocal);
    await page.getByTestId('workers').filter({ hasText: 'e2e-worker-1' }).waitFor();
    await page.getByTestId('queue-depth').filter({ hasText: 'waiting' }).waitFor();
    await screenshot(page, '02-bots-board');
  });

  it('chats with the bot and sees the answer arrive token by token', async () => {
    await page.locator('tr[data-bot="OLLAMA-CHAT-001"] .bot-id a').click();
    await page.getByTestId('chat-bot-id').filter({ hasText: 'OLLAMA-CHAT-001' }).waitFor();
    // Record every text the streaming bubble shows, to prove the answer grew piece by piece.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { streamed: string[] }).streamed = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="streaming"] .content')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const box = page.getByPlaceholder(/Message OLLAMA-CHAT-001/);
    await box.fill('please stream these words one at a time');
    await box.press('Enter');
    await page.locator('.message[data-role="user"]').filter({ hasText: 'please stream these words' }).waitFor();
    await page.getByTestId('streaming').waitFor();
    await screenshot(page, '03-chat-streaming');
    await page.locator('.message[data-role="assistant"]').filter({ hasText: OLLAMA_ANSWERS[0] }).waitFor();
    const streamed = await page.evaluate(() => (window as unknown as { streamed: string[] }).streamed);
    expect(streamed.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < streamed.length; i++) expect((streamed[i] as string).startsWith(streamed[i - 1] as string)).toBe(true);
    expect(await page.getByTestId('streaming').count()).toBe(0);
    await screenshot(page, '04-chat-answered');
  });

  it('shows the history again after a reload', async () => {
    await page.reload();
    await page.locator('.message[data-role="user"]').filter({ hasText: 'please stream these words' }).waitFor();
    await page.locator('.message[data-role="assistant"]').filter({ hasText: OLLAMA_ANSWERS[0] }).waitFor();
  });

  it('loads older pages of the history when scrolled to the top', async () => {
    await stack.gateway.deps.bots.create({ id: 'HISTORY-BOT-001', runner: 'ollama', systemPrompt: '' });
    for (let i = 1; i <= 45; i++) {
      await stack.gateway.deps.chat.append({
        botId: 'HISTORY-BOT-001',
        role: i % 2 ? 'user' : 'assistant',
        content: `old message ${i}`,
      });
    }
    await page.goto(`${stack.baseUrl}/bots/HISTORY-BOT-001`);
    await page.locator('.message').filter({ hasText: 'old message 45' }).waitFor();
    // The first page holds the newest 30; message 1 is on the older page.
    expect(await page.locator('.message').count()).toBe(30);
    await page.getByTestId('messages').evaluate((element) => {
      element.scrollTop = 0;
    });
    await page
      .locator('.message .content')
      .filter({ hasText: /^old message 1$/ })
      .waitFor();
    expect(await page.locator('.message').count()).toBe(45);
  });

  it('falls back to REST and server-sent events when the WebSocket is unavailable, and says so', async () => {
    await page.goto(`${stack.baseUrl}/bots/OLLAMA-CHAT-001?live=off`);
    await page.getByTestId('fallback-notice').waitFor();
    const box = page.getByPlaceholder(/Message OLLAMA-CHAT-001/);
    await box.fill('fallback works');
    await box.press('Enter');
    await page.locator('.message[data-role="assistant"]').filter({ hasText: OLLAMA_ANSWERS[1] }).waitFor();
    await screenshot(page, '05-chat-rest-fallback');
  });

  it('turns the bot stale when its heartbeats stop', async () => {
    await page.goto(`${stack.baseUrl}/bots`);
    await page.locator('tr[data-bot="OLLAMA-CHAT-001"][data-status="online"]').waitFor();
    await stack.runtime.botHeartbeat.stop();
    await page.locator('tr[data-bot="OLLAMA-CHAT-001"][data-status="stale"]').waitFor({ timeout: STALE_AFTER_MS + 5000 });
    const colour = await page
      .locator('tr[data-bot="OLLAMA-CHAT-001"] .status')
      .evaluate((element) => getComputedStyle(element).color);
    expect(colour).toBe('rgb(199, 122, 0)');
    await screenshot(page, '06-bot-stale');
  });

  it('runs a task and shows its log lines live, then tokens and cost', async () => {
    const response = await fetch(`${stack.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'watch me work', title: 'Live log demo', repo: 'octo/demo', runner: 'noop' }),
    });
    const { task } = (await response.json()) as { task: { id: string } };
    await page.goto(`${stack.baseUrl}/tasks`);
    await page.locator(`tr[data-task="${task.id}"]`).waitFor();
    await page.getByLabel('Repository').fill('octo/demo');
    await page.getByLabel('Repository').press('Tab');
    await page.locator(`tr[data-task="${task.id}"]`).waitFor();
    await screenshot(page, '07-tasks');
    await page.locator(`tr[data-task="${task.id}"] a`).click();
    // Lines appear while the task is still running...
    await page.locator('.log-line').filter({ hasText: 'step 2 of 6' }).waitFor();
    expect(await page.getByTestId('task-status').textContent()).toBe('running');
    expect(await page.locator('.log-line').filter({ hasText: 'step 6 of 6' }).count()).toBe(0);
    await screenshot(page, '08-task-live-log');
    // ...and the rest follow without a reload, then the totals.
    await page.getByTestId('task-status').filter({ hasText: 'succeeded' }).waitFor();
    await page.locator('.log-line').filter({ hasText: 'step 6 of 6' }).waitFor();
    await page.getByTestId('tokens').filter({ hasText: '1200 in / 345 out' }).waitFor();
    expect(await page.getByTestId('cost').textContent()).toBe('$0.0123');
    // Under the totals, the runs they add up from: here the one run of attempt 1, its id shortened.
    const runRows = page.getByTestId('task-runs').locator('tbody tr');
    await runRows.first().waitFor();
    expect(await runRows.count()).toBe(1);
    const [attempt, runId, tokensIn, tokensOut, cost] = await runRows.first().locator('td').allTextContents();
    expect([attempt, tokensIn, tokensOut, cost]).toEqual(['1', '1200', '345', '$0.0123']);
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    ranTaskId = task.id;
    const lines = await page.locator('.log-line').allTextContents();
    expect(lines.filter((line) => line.includes('step ')).length).toBe(6);
    expect(await page.getByRole('button', { name: 'Retry (r)' }).isEnabled()).toBe(true);
    await screenshot(page, '09-task-done');
  });

  it('disables Cancel once the task publishes, learning it live, and says why', async () => {
    const { tasks, taskEvents, events } = stack.gateway.deps;
    // Played by the test with the worker's own steps, so the task stays at each point as long as needed.
    const task = await tasks.create(
      taskRequestSchema.parse({ kind: 'fix', priority: 'P2', source: 'api', prompt: 'publish me', title: 'Publishing demo' }),
    );
    await tasks.markRunning(task.id, 1);
    await page.goto(`${stack.baseUrl}/tasks/${task.id}`);
    await page.getByTestId('task-status').filter({ hasText: 'running' }).waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel (x)' });
    expect(await cancel.isEnabled()).toBe(true);
    expect(await page.getByTestId('cancel-note').count()).toBe(0);

    // The worker's point of no return: the claim on the row, then the `publishing` event.
    const reporter = new TaskReporter({ taskEvents, events, logger: createLogger({ name: 'e2e', level: 'silent' }) }, task.id);
    await startPublishing(tasks, task.id);
    await reporter.log('publishing', 'Publishing the result; from now on the task can no longer be cancelled');

    // No reload: the page heard it over the WebSocket.
    await page.locator('.log-line').filter({ hasText: 'Publishing the result' }).waitFor();
    await page.locator('button[data-shortcut="x"][disabled]').waitFor();
    expect(await cancel.getAttribute('title')).toContain('can no longer be cancelled');
    expect(await page.getByTestId('cancel-note').textContent()).toContain('can no longer be cancelled');
    expect(await cancel.getAttribute('aria-describedby')).toBe('cancel-note');
    await page.getByTestId('task-publishing').waitFor();
    // The shortcut does nothing either: no request, no 409 message.
    await page.keyboard.press('x');
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, '13-task-publishing');

    // Loaded afresh, the page knows it from the row.
    await page.reload();
    await page.locator('button[data-shortcut="x"][disabled]').waitFor();
    await page.getByTestId('cancel-note').waitFor();
    // The page subscribes once its stored log is loaded; a status is only sent live, so wait until
    // a line logged now has reached the page (replayed or live: either way it is subscribed).
    await reporter.log('probe', 'page subscribed again');
    await page.locator('.log-line').filter({ hasText: 'page subscribed again' }).waitFor();

    await tasks.markSucceeded(task.id, { attempt: 1, result: { summary: 'published' } });
    await reporter.status('succeeded');
    await page.getByTestId('task-status').filter({ hasText: 'succeeded' }).waitFor();
    expect(await page.getByTestId('cancel-note').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry (r)' }).isEnabled()).toBe(true);
  });

  it('shows a delivery with its payload and replays it', async () => {
    // A real signed delivery through the ingestion path: a mention from an author without write
    // access is stored and ignored with its reason.
    const example = webhookExample('issue_comment', 'created');
    example.comment.body = '@agent-bot fix the flaky test';
    example.comment.author_association = 'NONE';
    const body = JSON.stringify(example);
    const response = await fetch(`${stack.baseUrl}/webhooks/github`, {
      method: 'POST',
      headers: githubHeaders('issue_comment', body),
      body,
    });
    expect(response.status).toBeLessThan(300);
    await page.goto(`${stack.baseUrl}/deliveries`);
    const row = page.locator('tr[data-delivery]').filter({ hasText: 'issue_comment' });
    await row.waitFor();
    expect(await row.textContent()).toContain('not allowed');
    await row.click();
    await page.getByTestId('payload').filter({ hasText: '@agent-bot fix the flaky test' }).waitFor();
    await page.getByRole('button', { name: 'Replay (r)' }).click();
    await page.getByTestId('replay-result').filter({ hasText: 'Replayed' }).waitFor();
    await screenshot(page, '10-deliveries-replayed');
  });

  it('says a replay did not run a task that already ran, and points to Retry', async () => {
    const example = webhookExample('issue_comment', 'created');
    example.comment.body = '@agent-bot run the noop runner';
    example.comment.author_association = 'OWNER';
    const body = JSON.stringify(example);
    const response = await fetch(`${stack.baseUrl}/webhooks/github`, {
      method: 'POST',
      headers: githubHeaders('issue_comment', body),
      body,
    });
    const { delivery_id: deliveryId, task_id: taskId } = (await response.json()) as Record<string, string>;
    expect(taskId).toEqual(expect.any(String));
    // The worker takes the task and finishes it (however it ends, it has run).
    for (let waited = 0; ; waited += 200) {
      const task = await stack.gateway.deps.tasks.get(taskId as string);
      if (task && task.status !== 'queued' && task.status !== 'running') break;
      if (waited > 20_000) throw new Error(`task ${taskId} still ${task?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const finished = await stack.gateway.deps.tasks.get(taskId as string);
    await page.goto(`${stack.baseUrl}/deliveries`);
    await page.locator(`tr[data-delivery="${deliveryId}"]`).click();
    await page.getByRole('button', { name: 'Replay (r)' }).click();
    const result = page.locator('[data-testid="replay-result"][data-kind="already_ran"]');
    await result.waitFor();
    expect(await result.textContent()).toContain(`Not run again: task ${taskId} already ran (${finished?.status}).`);
    expect(await result.textContent()).toContain('press Retry');
    expect(await result.getByRole('link', { name: 'open task' }).getAttribute('href')).toBe(`/tasks/${taskId}`);
    await screenshot(page, '10b-deliveries-replay-already-ran');
  });

  it('keeps the tasks, deliveries and bots pages inside a 390 px wide phone screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    try {
      const narrow = await phone.newPage();
      narrow.setDefaultTimeout(10_000);
      await narrow.request.post(`${stack.baseUrl}/api/session`, { data: { token: TEST_ADMIN_TOKEN } });
      const pageWidth = () =>
        narrow.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      for (const [path, table, name] of [
        ['/tasks', 'task-list', '13-tasks-390px'],
        ['/deliveries', 'delivery-list', '14-deliveries-390px'],
        ['/bots', 'bot-board', '15-bots-390px'],
        [`/tasks/${ranTaskId}`, 'task-runs', '15b-task-runs-390px'],
      ] as const) {
        await narrow.goto(`${stack.baseUrl}${path}`);
        await narrow.getByTestId(table).locator('tbody tr').first().waitFor();
        if (path === '/deliveries') {
          // With a delivery open too: its payload (long JSON lines) must not widen the page either.
          await narrow.locator('tr[data-delivery]').first().click();
          await narrow.getByTestId('payload').waitFor();
        }
        await screenshot(narrow, name);
        // The page itself never scrolls sideways: the table scrolls inside its own container.
        expect(await pageWidth()).toEqual({ scroll: 390, viewport: 390 });
        const scroller = narrow.getByTestId(table).locator('xpath=..');
        expect(await scroller.evaluate((element) => getComputedStyle(element).overflowX)).toBe('auto');
      }
    } finally {
      await phone.close();
    }
  });

  it('shows the queue view to an operator', async () => {
    await page.goto(`${stack.baseUrl}/admin/queues`);
    await page.getByText('agent-bot', { exact: false }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, '12-queue-view');
  });

  it('documents its keyboard shortcuts on the page and raised no browser errors', async () => {
    await page.goto(`${stack.baseUrl}/deliveries`);
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(page, '11-shortcuts');
    await page.keyboard.press('Escape');
    await page.keyboard.press('g');
    await page.keyboard.press('t');
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    // The queue view (bull-board) asks for Google Fonts, which our CSP refuses: expected, harmless.
    const unexpected = pageErrors.filter(
      (message) => !message.includes('Failed to load resource') && !message.includes('fonts.googleapis.com'),
    );
    expect(unexpected).toEqual([]);
  });
});
