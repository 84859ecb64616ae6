import type { RepoPermission, RepositoryPermissions } from '@agent-bot/contracts';
import { toGitHubError } from './github-errors.js';
import { type InstallationOctokits, splitRepo } from './installation-octokit.js';

const ROLES: RepoPermission[] = ['admin', 'maintain', 'write', 'triage', 'read'];

/** The collaborator permission endpoint; someone who is not a collaborator has 'none'. */
export class OctokitRepositoryPermissions implements RepositoryPermissions {
  constructor(private readonly octokits: InstallationOctokits) {}

  async permissionOf(input: { installationId: string; repo: string; login: string }): Promise<RepoPermission> {
    const octokit = this.octokits.for(input.installationId);
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
        ...splitRepo(input.repo),
        username: input.login,
      });
      // role_name distinguishes maintain/triage, which `permission` folds into write/read.
      const role = (data.role_name ?? data.permission) as RepoPermission;
      if (ROLES.includes(role)) return role;
      return ROLES.includes(data.permission as RepoPermission) ? (data.permission as RepoPermission) : 'none';
    } catch (error) {
      if ((error as { status?: number }).status === 404) return 'none';
      throw toGitHubError(error, `read ${input.login}'s permission on ${input.repo}`);
    }
  }
}
