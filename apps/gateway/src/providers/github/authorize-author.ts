import type { RepoPermission, RepositoryPermissions } from '@agent-bot/contracts';
import type { GitHubUser } from './github-payload.js';

/** author_association values that already prove write access (the fast path). */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
const WRITE_PERMISSIONS = new Set<RepoPermission>(['admin', 'maintain', 'write']);

export type AuthorDecision = { allowed: true } | { allowed: false; reason: string };

export function isBotUser(user: GitHubUser): boolean {
  return user.type === 'Bot' || /\[bot\]$/i.test(user.login);
}

/** The bot's own account: the handle itself or the GitHub App's `handle[bot]` user. */
export function isSelf(user: GitHubUser, botHandle: string): boolean {
  const login = user.login.toLowerCase();
  return login === botHandle || login === `${botHandle}[bot]`;
}

/** Bots never trigger the bot, and the bot never triggers itself. Null when the author is a person. */
export function automatedAuthorReason(user: GitHubUser, botHandle: string): string | null {
  if (isSelf(user, botHandle)) return 'own comment: authored by the bot itself';
  if (isBotUser(user)) return `bot author: ${user.login}`;
  return null;
}

/**
 * Only people with write, maintain or admin permission may trigger work. author_association is
 * decisive for owners, members and collaborators; anyone else is looked up through the port.
 */
export async function authorizeAuthor(
  permissions: RepositoryPermissions,
  input: { user: GitHubUser; association?: string; installationId?: string; repo?: string },
): Promise<AuthorDecision> {
  if (input.association && TRUSTED_ASSOCIATIONS.has(input.association)) return { allowed: true };
  if (!input.installationId || !input.repo) {
    return { allowed: false, reason: `author not allowed: ${input.user.login} (no installation to check permission)` };
  }
  let permission: RepoPermission;
  try {
    permission = await permissions.permissionOf({
      installationId: input.installationId,
      repo: input.repo,
      login: input.user.login,
    });
  } catch (error) {
    return { allowed: false, reason: `permission unknown: ${(error as Error).message}` };
  }
  if (WRITE_PERMISSIONS.has(permission)) return { allowed: true };
  return { allowed: false, reason: `author not allowed: ${input.user.login} has ${permission} permission` };
}
