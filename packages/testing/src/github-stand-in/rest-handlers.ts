import { createHash } from 'node:crypto';
import { type StandInInstallation, type StandInRepo, type StandInReviewComment, randomToken } from './state.js';
import { type Handler, type HandlerContext, type HandlerResult, json, notFound, unauthorized } from './types.js';

/** Handlers for the REST operations agent-bot uses, keyed by the description's operationId. */

function requireApp(ctx: HandlerContext) {
  return ctx.caller.kind === 'app' ? ctx.caller.app : undefined;
}

/** The repository, when the caller (installation or user token) may reach it. */
function reachableRepo(ctx: HandlerContext): StandInRepo | HandlerResult {
  const { owner = '', repo: name = '' } = ctx.pathParams;
  const repo = ctx.state.repo(owner, name);
  const caller = ctx.caller;
  if (caller.kind === 'installation') {
    if (!repo || !caller.installation.repos.includes(repo.fullName.toLowerCase())) return notFound();
    return repo;
  }
  if (caller.kind === 'user') {
    if (!repo || (repo.private && !repo.collaborators.has(caller.user.login))) return notFound();
    return repo;
  }
  return caller.kind === 'invalid' ? unauthorized() : notFound();
}

function isResult(value: unknown): value is HandlerResult {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as HandlerResult).status === 'number';
}

function installationJson(ctx: HandlerContext, installation: StandInInstallation) {
  return {
    id: installation.id,
    app_id: installation.appId,
    account: { login: installation.account.login, id: installation.account.id, type: installation.account.type },
    target_type: installation.account.type,
    repository_selection: 'selected',
    html_url: `${ctx.webUrl}/settings/installations/${installation.id}`,
    permissions: { contents: 'write', issues: 'write', pull_requests: 'write', metadata: 'read', actions: 'read' },
  };
}

function commentJson(
  ctx: HandlerContext,
  c: { id: number; repo: string; issueNumber: number; body: string; user: string; createdAt: string; updatedAt: string },
) {
  return {
    id: c.id,
    body: c.body,
    user: { login: c.user, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `${ctx.webUrl}/${c.repo}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    url: `${ctx.apiUrl}/repos/${c.repo}/issues/comments/${c.id}`,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function reviewCommentJson(ctx: HandlerContext, c: StandInReviewComment) {
  return {
    id: c.id,
    body: c.body,
    in_reply_to_id: c.inReplyToId,
    user: { login: c.user, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `${ctx.webUrl}/${c.repo}/pull/${c.pullNumber}#discussion_r${c.id}`,
    pull_request_url: `${ctx.apiUrl}/repos/${c.repo}/pulls/${c.pullNumber}`,
  };
}

function pullJson(
  ctx: HandlerContext,
  p: {
    id: number;
    number: number;
    repo: string;
    head: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
    state: string;
    headSha?: string;
    headRepo?: string | null;
  },
) {
  const [owner, name] = p.repo.split('/');
  const [headOwner = owner, headRef] = p.head.split(':');
  const headRepo = p.headRepo === undefined ? (headOwner === owner ? p.repo : `${headOwner}/${name}`) : p.headRepo;
  const repoJson = (fullName: string) => {
    const [login, repoName] = fullName.split('/');
    const known = ctx.state.repos.get(fullName.toLowerCase());
    return { id: known?.id ?? 0, name: repoName, full_name: fullName, owner: { login }, private: known?.private ?? false };
  };
  return {
    id: p.id,
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    html_url: `${ctx.webUrl}/${p.repo}/pull/${p.number}`,
    head: {
      ref: headRef,
      label: p.head,
      sha: p.headSha ?? createHash('sha1').update(`${p.repo}:${p.head}`).digest('hex'),
      user: { login: headOwner },
      repo: headRepo === null ? null : repoJson(headRepo),
    },
    base: { ref: p.base, label: `${owner}:${p.base}`, repo: repoJson(p.repo) },
  };
}

/** The bot's identity for things it writes. */
function author(ctx: HandlerContext): string {
  if (ctx.caller.kind === 'user') return ctx.caller.user.login;
  if (ctx.caller.kind === 'installation') {
    const app = ctx.state.apps.get(ctx.caller.installation.appId);
    return `${app?.slug ?? 'app'}[bot]`;
  }
  return 'ghost';
}

function reaction(
  ctx: HandlerContext,
  subject: 'issue' | 'issue_comment' | 'review_comment',
  subjectId: number,
  repo: string,
): HandlerResult {
  const existing = ctx.state.reactions.find(
    (r) =>
      r.repo === repo &&
      r.subject === subject &&
      r.subjectId === subjectId &&
      r.content === ctx.body.content &&
      r.user === author(ctx),
  );
  // GitHub answers 200 with the existing reaction when the same user reacts twice.
  if (existing) return json(200, { id: existing.id, content: existing.content, user: { login: existing.user } });
  const created = { id: ctx.state.id(), repo, subject, subjectId, content: String(ctx.body.content), user: author(ctx) };
  ctx.state.reactions.push(created);
  return json(201, { id: created.id, content: created.content, user: { login: created.user } });
}

export const restHandlers: Record<string, Handler> = {
  'apps/create-from-manifest': (ctx) => {
    const code = ctx.pathParams.code ?? '';
    const pending = ctx.state.manifestCodes.get(code);
    ctx.state.manifestCodes.delete(code);
    if (!pending || pending.expiresAt < ctx.now) return notFound();
    const app = ctx.state.createApp({ name: String(pending.manifest.name ?? 'agent-bot'), manifest: pending.manifest });
    return json(201, {
      id: app.id,
      slug: app.slug,
      node_id: `A_${app.id}`,
      name: app.name,
      owner: { login: 'octo-org' },
      html_url: `${ctx.webUrl}/apps/${app.slug}`,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      webhook_secret: app.webhookSecret,
      pem: app.privateKey,
      permissions: pending.manifest.default_permissions ?? {},
      events: pending.manifest.default_events ?? [],
    });
  },

  'apps/get-authenticated': (ctx) => {
    const app = requireApp(ctx);
    if (!app) return unauthorized('A JSON web token could not be decoded');
    return json(200, { id: app.id, slug: app.slug, name: app.name, client_id: app.clientId });
  },

  'apps/create-installation-access-token': (ctx) => {
    const app = requireApp(ctx);
    if (!app) return unauthorized('A JSON web token could not be decoded');
    const installation = ctx.state.installations.get(Number(ctx.pathParams.installation_id));
    if (!installation || installation.appId !== app.id) return notFound();
    const token = randomToken('ghs_');
    const expiresAt = ctx.now + ctx.options.installationTokenTtlMs;
    ctx.state.installationTokens.set(token, { installationId: installation.id, expiresAt });
    return json(201, {
      token,
      expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: installationJson(ctx, installation).permissions,
      repository_selection: 'selected',
    });
  },

  'apps/get-repo-installation': (ctx) => {
    const app = requireApp(ctx);
    if (!app) return unauthorized('A JSON web token could not be decoded');
    const full = `${ctx.pathParams.owner}/${ctx.pathParams.repo}`.toLowerCase();
    const installation = [...ctx.state.installations.values()].find((i) => i.appId === app.id && i.repos.includes(full));
    return installation ? json(200, installationJson(ctx, installation)) : notFound();
  },

  'users/get-authenticated': (ctx) => {
    if (ctx.caller.kind !== 'user') return unauthorized('Requires authentication');
    const { user } = ctx.caller;
    return json(200, {
      id: user.id,
      login: user.login,
      type: 'User',
      html_url: `${ctx.webUrl}/${user.login}`,
      avatar_url: `${ctx.webUrl}/${user.login}.png`,
    });
  },

  'apps/list-installations-for-authenticated-user': (ctx) => {
    if (ctx.caller.kind !== 'user') return unauthorized('Requires authentication');
    const { user, grant } = ctx.caller;
    const app = ctx.state.appByClientId(grant.clientId);
    // A user-to-server token lists only the installations of the app that issued it.
    const installations = [...ctx.state.installations.values()].filter((i) => i.userIds.includes(user.id) && i.appId === app?.id);
    return json(200, { total_count: installations.length, installations: installations.map((i) => installationJson(ctx, i)) });
  },

  'repos/get': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const [owner, name] = repo.fullName.split('/');
    return json(200, {
      id: repo.id,
      name,
      full_name: repo.fullName,
      owner: { login: owner },
      private: repo.private,
      default_branch: repo.defaultBranch,
      html_url: `${ctx.webUrl}/${repo.fullName}`,
    });
  },

  'repos/get-collaborator-permission-level': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const login = ctx.pathParams.username ?? '';
    const entry = [...repo.collaborators.entries()].find(([name]) => name.toLowerCase() === login.toLowerCase());
    if (!entry) return json(404, { message: `${login} is not a user`, documentation_url: 'https://docs.github.com/rest' });
    const [name, role] = entry;
    const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
    return json(200, { permission, role_name: role, user: { login: name } });
  },

  'issues/list-comments': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const number = Number(ctx.pathParams.issue_number);
    const all = ctx.state.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === number);
    const perPage = Math.min(Number(ctx.query.get('per_page') ?? 30), 100);
    const page = Number(ctx.query.get('page') ?? 1);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      headers.link = `<${ctx.apiUrl}/repos/${repo.fullName}/issues/${number}/comments?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    return json(
      200,
      slice.map((c) => commentJson(ctx, c)),
      headers,
    );
  },

  'issues/create-comment': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const at = new Date(ctx.now).toISOString();
    const comment = {
      id: ctx.state.id(),
      repo: repo.fullName,
      issueNumber: Number(ctx.pathParams.issue_number),
      body: String(ctx.body.body),
      user: author(ctx),
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.comments.push(comment);
    return json(201, commentJson(ctx, comment));
  },

  'issues/update-comment': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const comment = ctx.state.comments.find((c) => c.repo === repo.fullName && c.id === Number(ctx.pathParams.comment_id));
    if (!comment) return notFound();
    comment.body = String(ctx.body.body);
    comment.updatedAt = new Date(ctx.now).toISOString();
    return json(200, commentJson(ctx, comment));
  },

  'pulls/list': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const pulls = ctx.state.pulls.filter(
      (p) =>
        p.repo === repo.fullName &&
        (state === 'all' || p.state === state) &&
        (!head || p.head.toLowerCase() === head.toLowerCase()),
    );
    return json(
      200,
      pulls.map((p) => pullJson(ctx, p)),
    );
  },

  'pulls/create': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const [owner] = repo.fullName.split('/');
    const rawHead = String(ctx.body.head);
    const head = rawHead.includes(':') ? rawHead : `${owner}:${rawHead}`;
    const existing = ctx.state.pulls.find(
      (p) => p.repo === repo.fullName && p.state === 'open' && p.head.toLowerCase() === head.toLowerCase(),
    );
    if (existing) {
      return json(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${head}.` }],
      });
    }
    const number = ctx.state.pulls.filter((p) => p.repo === repo.fullName).length + 1;
    const pull = {
      id: ctx.state.id(),
      number,
      repo: repo.fullName,
      head,
      base: String(ctx.body.base),
      title: String(ctx.body.title ?? ''),
      body: String(ctx.body.body ?? ''),
      draft: ctx.body.draft === true,
      state: 'open' as const,
    };
    ctx.state.pulls.push(pull);
    return json(201, pullJson(ctx, pull));
  },

  'issues/get': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const number = Number(ctx.pathParams.issue_number);
    const issue = ctx.state.issues.find((i) => i.repo === repo.fullName && i.number === number);
    if (!issue) return notFound();
    const isPull = ctx.state.pulls.some((p) => p.repo === repo.fullName && p.number === number);
    return json(200, {
      number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: { login: issue.user },
      html_url: `${ctx.webUrl}/${repo.fullName}/${isPull ? 'pull' : 'issues'}/${number}`,
      ...(isPull ? { pull_request: { url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${number}` } } : {}),
    });
  },

  'pulls/get': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const pull = ctx.state.pulls.find((p) => p.repo === repo.fullName && p.number === Number(ctx.pathParams.pull_number));
    return pull ? json(200, pullJson(ctx, pull)) : notFound();
  },

  'reactions/create-for-issue': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    return reaction(ctx, 'issue', Number(ctx.pathParams.issue_number), repo.fullName);
  },

  'reactions/create-for-issue-comment': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const id = Number(ctx.pathParams.comment_id);
    if (!ctx.state.comments.some((c) => c.repo === repo.fullName && c.id === id)) return notFound();
    return reaction(ctx, 'issue_comment', id, repo.fullName);
  },

  'reactions/create-for-pull-request-review-comment': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const id = Number(ctx.pathParams.comment_id);
    if (!ctx.state.reviewComments.some((c) => c.repo === repo.fullName && c.id === id)) return notFound();
    return reaction(ctx, 'review_comment', id, repo.fullName);
  },

  'apps/list-repos-accessible-to-installation': (ctx) => {
    if (ctx.caller.kind !== 'installation') return unauthorized('Requires an installation token');
    const repos = ctx.caller.installation.repos
      .map((name) => ctx.state.repos.get(name))
      .filter((r): r is StandInRepo => r !== undefined);
    return json(200, {
      total_count: repos.length,
      repositories: repos.map((r) => ({
        id: r.id,
        full_name: r.fullName,
        name: r.fullName.split('/')[1],
        private: r.private,
        default_branch: r.defaultBranch,
      })),
    });
  },

  'pulls/list-review-comments': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const pullNumber = Number(ctx.pathParams.pull_number);
    const all = ctx.state.reviewComments.filter((c) => c.repo === repo.fullName && c.pullNumber === pullNumber);
    const perPage = Math.min(Number(ctx.query.get('per_page') ?? 30), 100);
    const page = Number(ctx.query.get('page') ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      headers.link = `<${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pullNumber}/comments?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    return json(
      200,
      all.slice((page - 1) * perPage, page * perPage).map((c) => reviewCommentJson(ctx, c)),
      headers,
    );
  },

  'pulls/create-reply-for-review-comment': (ctx) => {
    const repo = reachableRepo(ctx);
    if (isResult(repo)) return repo;
    const pullNumber = Number(ctx.pathParams.pull_number);
    const parent = ctx.state.reviewComments.find(
      (c) => c.repo === repo.fullName && c.pullNumber === pullNumber && c.id === Number(ctx.pathParams.comment_id),
    );
    if (!parent) return notFound();
    const reply = {
      id: ctx.state.id(),
      repo: repo.fullName,
      pullNumber,
      body: String(ctx.body.body),
      user: author(ctx),
      inReplyToId: parent.inReplyToId ?? parent.id,
    };
    ctx.state.reviewComments.push(reply);
    return json(201, reviewCommentJson(ctx, reply));
  },
};
