import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

/** In-memory GitHub: apps, users, installations, repositories, comments and pull requests. */

export type StandInPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface StandInApp {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** PKCS#1 PEM, as GitHub hands it out. */
  privateKey: string;
  publicKey: KeyObject;
  manifest: Record<string, unknown> | undefined;
}

export interface StandInUser {
  id: number;
  login: string;
}

export interface StandInInstallation {
  id: number;
  appId: number;
  account: { login: string; id: number; type: 'User' | 'Organization' };
  /** owner/name of every repository the installation may touch. */
  repos: string[];
  /** Users who can see this installation in GET /user/installations. */
  userIds: number[];
}

export interface StandInRepo {
  id: number;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  /** login -> permission; anyone else has none (404 from the permission endpoint). */
  collaborators: Map<string, StandInPermission>;
}

export interface StandInComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface StandInPull {
  id: number;
  number: number;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** The head commit (default: a stable made-up sha). */
  headSha?: string;
  /**
   * owner/name of the repository holding the head branch; null for a deleted fork. Default: this
   * repository when the head's owner is its owner, else that owner's fork of the same name.
   */
  headRepo?: string | null;
}

export interface StandInReviewComment {
  id: number;
  repo: string;
  pullNumber: number;
  body: string;
  user: string;
  inReplyToId: number | undefined;
}

export interface StandInIssue {
  repo: string;
  number: number;
  title: string;
  body: string;
  user: string;
  state: 'open' | 'closed';
}

export interface StandInReaction {
  id: number;
  repo: string;
  /** 'issue' (issue or pull request), 'issue_comment' or 'review_comment'. */
  subject: 'issue' | 'issue_comment' | 'review_comment';
  subjectId: number;
  content: string;
  user: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export interface UserGrant {
  userId: number;
  clientId: string;
  accessToken: IssuedToken;
  refreshToken: IssuedToken;
}

export interface PendingCode {
  code: string;
  clientId: string;
  userId: number;
  redirectUri: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  expiresAt: number;
}

export function randomToken(prefix: string, bytes = 18): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class StandInState {
  private nextId = 1000;
  readonly apps = new Map<number, StandInApp>();
  readonly users = new Map<number, StandInUser>();
  readonly installations = new Map<number, StandInInstallation>();
  readonly repos = new Map<string, StandInRepo>();
  readonly comments: StandInComment[] = [];
  readonly pulls: StandInPull[] = [];
  readonly reviewComments: StandInReviewComment[] = [];
  readonly issues: StandInIssue[] = [];
  readonly reactions: StandInReaction[] = [];
  /** token -> installation id */
  readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();
  readonly userGrants: UserGrant[] = [];
  readonly oauthCodes = new Map<string, PendingCode>();
  readonly manifestCodes = new Map<string, { manifest: Record<string, unknown>; expiresAt: number }>();

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  createApp(input: { name?: string; manifest?: Record<string, unknown> } = {}): StandInApp {
    const id = this.id();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const name = input.name ?? `app-${id}`;
    const app: StandInApp = {
      id,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      name,
      clientId: `Iv1.${randomBytes(8).toString('hex')}`,
      clientSecret: randomBytes(20).toString('hex'),
      webhookSecret: randomBytes(20).toString('hex'),
      privateKey: pem,
      publicKey: createPublicKey(privateKey),
      manifest: input.manifest,
    };
    this.apps.set(id, app);
    return app;
  }

  createUser(login: string): StandInUser {
    const user = { id: this.id(), login };
    this.users.set(user.id, user);
    return user;
  }

  createRepo(input: {
    fullName: string;
    defaultBranch?: string;
    private?: boolean;
    collaborators?: Record<string, StandInPermission>;
  }): StandInRepo {
    const repo: StandInRepo = {
      id: this.id(),
      fullName: input.fullName,
      defaultBranch: input.defaultBranch ?? 'main',
      private: input.private ?? true,
      collaborators: new Map(Object.entries(input.collaborators ?? {})),
    };
    this.repos.set(input.fullName.toLowerCase(), repo);
    return repo;
  }

  createInstallation(input: {
    appId: number;
    account: string;
    accountType?: 'User' | 'Organization';
    repos?: string[];
    userIds?: number[];
  }): StandInInstallation {
    const installation: StandInInstallation = {
      id: this.id(),
      appId: input.appId,
      account: { login: input.account, id: this.id(), type: input.accountType ?? 'Organization' },
      repos: (input.repos ?? []).map((r) => r.toLowerCase()),
      userIds: input.userIds ?? [],
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** An issue (pull requests are issues too: add one here and one with addPull). */
  addIssue(input: { repo: string; number: number; title: string; body?: string; user?: string }): StandInIssue {
    const issue: StandInIssue = { body: '', user: 'octocat', ...input, state: 'open' };
    this.issues.push(issue);
    return issue;
  }

  /** An open pull request from `head` (owner:branch) into `base`; a head owner other than the repository's is a fork. */
  addPull(input: {
    repo: string;
    number: number;
    head: string;
    base: string;
    title?: string;
    body?: string;
    draft?: boolean;
    headSha?: string;
    headRepo?: string | null;
  }): StandInPull {
    const pull: StandInPull = { id: this.id(), title: '', body: '', draft: false, ...input, state: 'open' };
    this.pulls.push(pull);
    return pull;
  }

  /** A comment someone (a human, or `slug[bot]`) wrote on an issue or pull request. */
  addComment(input: { repo: string; issueNumber: number; body: string; user: string }): StandInComment {
    const at = new Date().toISOString();
    const comment: StandInComment = { id: this.id(), ...input, createdAt: at, updatedAt: at };
    this.comments.push(comment);
    return comment;
  }

  /** A review comment on a pull request's diff, to reply to. */
  addReviewComment(input: { repo: string; pullNumber: number; body: string; user: string }): StandInReviewComment {
    const comment: StandInReviewComment = { id: this.id(), ...input, inReplyToId: undefined };
    this.reviewComments.push(comment);
    return comment;
  }

  appByClientId(clientId: string): StandInApp | undefined {
    return [...this.apps.values()].find((app) => app.clientId === clientId);
  }

  repo(owner: string, name: string): StandInRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Grants a user token pair to `userId` for the app `clientId` (what a finished OAuth flow yields). */
  grant(userId: number, clientId: string, accessTtlMs: number, refreshTtlMs: number, now: number): UserGrant {
    const grant: UserGrant = {
      userId,
      clientId,
      accessToken: { token: randomToken('ghu_'), expiresAt: now + accessTtlMs },
      refreshToken: { token: randomToken('ghr_', 36), expiresAt: now + refreshTtlMs },
    };
    this.userGrants.push(grant);
    return grant;
  }

  grantByAccessToken(token: string, now: number): UserGrant | undefined {
    return this.userGrants.find((g) => g.accessToken.token === token && g.accessToken.expiresAt > now);
  }
}
