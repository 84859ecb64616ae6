import type { Logger } from '@agent-bot/observability';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** Octokit (REST methods, pagination) with rate-limit throttling and retries of transient failures. */
export const GitHubOctokit = Octokit.plugin(restEndpointMethods, paginateRest, throttling, retry);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

export interface CreateOctokitOptions {
  /** GITHUB_API_URL: https://api.github.com, https://ghes.example/api/v3, or a test stand-in. */
  baseUrl: string;
  logger: Logger;
  /** Static auth (a token); omit for unauthenticated calls or when a hook adds it. */
  auth?: string;
  /** How many times a primary rate limit is waited out before giving up (default 2). */
  rateLimitRetries?: number;
}

/** Routes Octokit's own log lines (deprecations, throttling) into our logger at the same level. */
export function octokitLog(logger: Logger) {
  return {
    debug: (message: string) => logger.debug({ component: 'octokit' }, message),
    info: (message: string) => logger.info({ component: 'octokit' }, message),
    warn: (message: string) => logger.warn({ component: 'octokit' }, message),
    error: (message: string) => logger.error({ component: 'octokit' }, message),
  };
}

/** Throttle settings shared by every Octokit we build: wait out limits a few times, then fail. */
export function throttleOptions(logger: Logger, rateLimitRetries = 2) {
  return {
    onRateLimit: (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
      logger.warn({ retryAfter, method: options.method, route: options.url, retryCount }, 'GitHub rate limit reached');
      return retryCount < rateLimitRetries;
    },
    onSecondaryRateLimit: (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      logger.warn({ retryAfter, method: options.method, route: options.url, retryCount }, 'GitHub secondary rate limit reached');
      // Secondary limits punish bursts; one patient retry, then let the job's own backoff take over.
      return retryCount < 1;
    },
  };
}

export function createOctokit(options: CreateOctokitOptions): GitHubOctokit {
  return new GitHubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.auth ? { auth: options.auth } : {}),
    log: octokitLog(options.logger),
    throttle: throttleOptions(options.logger, options.rateLimitRetries),
    userAgent: 'agent-bot',
  });
}
