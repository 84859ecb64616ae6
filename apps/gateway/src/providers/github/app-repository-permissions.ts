import type { RepoPermission, RepositoryPermissions } from '@agent-bot/contracts';
import { UnconfiguredRepositoryPermissions } from './unconfigured-permissions.js';

/**
 * Collaborator permission through the GitHub App, whichever way it was configured (environment or
 * /setup). Until an app exists it refuses like UnconfiguredRepositoryPermissions.
 */
export class AppRepositoryPermissions implements RepositoryPermissions {
  private readonly unconfigured = new UnconfiguredRepositoryPermissions();

  constructor(private readonly adapters: () => Promise<{ permissions: RepositoryPermissions } | null>) {}

  async permissionOf(input: { installationId: string; repo: string; login: string }): Promise<RepoPermission> {
    const adapters = await this.adapters();
    return (adapters?.permissions ?? this.unconfigured).permissionOf(input);
  }
}
