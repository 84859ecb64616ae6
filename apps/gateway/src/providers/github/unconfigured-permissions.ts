import { AppError, type RepoPermission, type RepositoryPermissions } from '@agent-bot/contracts';

/**
 * Until a GitHub App is configured nobody's permission can be looked up, so only authors whose
 * author_association is decisive may trigger; everyone else is refused with this reason.
 */
export class UnconfiguredRepositoryPermissions implements RepositoryPermissions {
  async permissionOf(): Promise<RepoPermission> {
    throw new AppError('GITHUB_NOT_CONFIGURED', 'GitHub App not configured', { expected: true });
  }
}
