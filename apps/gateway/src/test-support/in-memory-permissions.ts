import type { RepoPermission, RepositoryPermissions } from '@agent-bot/contracts';

/** RepositoryPermissions for tests: a table of `login` -> permission; anyone else has `read`. */
export class InMemoryRepositoryPermissions implements RepositoryPermissions {
  readonly calls: Array<{ installationId: string; repo: string; login: string }> = [];
  private readonly table: Record<string, RepoPermission>;
  constructor(table: Record<string, RepoPermission> = {}) {
    this.table = { ...table };
  }

  grant(login: string, permission: RepoPermission): void {
    this.table[login] = permission;
  }

  async permissionOf(input: { installationId: string; repo: string; login: string }): Promise<RepoPermission> {
    this.calls.push(input);
    return this.table[input.login] ?? 'read';
  }
}
