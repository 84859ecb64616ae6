import type { Logger } from '@agent-bot/observability';
import { App } from '@octokit/app';
import { GitHubOctokit, octokitLog, throttleOptions } from './create-octokit.js';

export interface CreateGitHubAppOptions {
  appId: string;
  /** PEM (PKCS#1 as GitHub issues it, or PKCS#8). */
  privateKey: string;
  baseUrl: string;
  logger: Logger;
}

/** @octokit/app for app (JWT) authentication, on our throttled and retrying Octokit. */
export function createGitHubApp(options: CreateGitHubAppOptions): App {
  const log = octokitLog(options.logger);
  const Octokit = GitHubOctokit.defaults({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    log,
    throttle: throttleOptions(options.logger),
    userAgent: 'agent-bot',
  });
  return new App({ appId: options.appId, privateKey: options.privateKey, Octokit, log });
}
