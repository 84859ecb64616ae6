import type { InstallationRecord, InstallationRepository, InstallationRepositoryRef } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

interface InstallationRow {
  provider: string;
  external_id: string;
  account_login: string | null;
  account_type: string | null;
  repository_selection: string | null;
  repositories: InstallationRepositoryRef[];
  permissions: Record<string, string>;
  events: string[];
  suspended_at: Date | null;
  deleted_at: Date | null;
}

export class PostgresInstallationRepository implements InstallationRepository {
  constructor(private readonly sql: Sql) {}

  async upsert(
    installation: Omit<InstallationRecord, 'repositories' | 'deletedAt'> & { repositories?: InstallationRepositoryRef[] },
  ): Promise<void> {
    const sql = this.sql;
    const repositories = installation.repositories ?? [];
    await sql`
      insert into installations (provider, external_id, account_login, account_type, repository_selection,
                                 repositories, permissions, events, suspended_at)
      values (${installation.provider}, ${installation.externalId}, ${installation.accountLogin},
              ${installation.accountType}, ${installation.repositorySelection}, ${sql.json(repositories as never)},
              ${sql.json(installation.permissions)}, ${sql.json(installation.events)}, ${installation.suspendedAt})
      on conflict (provider, external_id) do update set
        account_login = excluded.account_login,
        account_type = excluded.account_type,
        repository_selection = excluded.repository_selection,
        repositories = ${installation.repositories ? sql`excluded.repositories` : sql`installations.repositories`},
        permissions = excluded.permissions,
        events = excluded.events,
        suspended_at = excluded.suspended_at,
        deleted_at = null,
        updated_at = now()`;
  }

  async markDeleted(provider: 'github', externalId: string): Promise<void> {
    await this.sql`
      insert into installations (provider, external_id, deleted_at) values (${provider}, ${externalId}, now())
      on conflict (provider, external_id) do update set deleted_at = now(), updated_at = now()`;
  }

  async setSuspended(provider: 'github', externalId: string, suspended: boolean): Promise<void> {
    await this.sql`
      update installations set suspended_at = ${suspended ? this.sql`now()` : null}, updated_at = now()
      where provider = ${provider} and external_id = ${externalId}`;
  }

  async changeRepositories(
    provider: 'github',
    externalId: string,
    change: { added: InstallationRepositoryRef[]; removed: InstallationRepositoryRef[] },
  ): Promise<void> {
    const sql = this.sql;
    await sql.begin(async (tx) => {
      await tx`
        insert into installations (provider, external_id) values (${provider}, ${externalId})
        on conflict (provider, external_id) do nothing`;
      const [row] = await tx<Pick<InstallationRow, 'repositories'>[]>`
        select repositories from installations where provider = ${provider} and external_id = ${externalId} for update`;
      const removed = new Set(change.removed.map((repo) => repo.id));
      const byId = new Map<number, InstallationRepositoryRef>();
      for (const repo of row?.repositories ?? []) if (!removed.has(repo.id)) byId.set(repo.id, repo);
      for (const repo of change.added) byId.set(repo.id, repo);
      const repositories = [...byId.values()].sort((a, b) => a.fullName.localeCompare(b.fullName));
      await tx`
        update installations set repositories = ${tx.json(repositories as never)}, updated_at = now()
        where provider = ${provider} and external_id = ${externalId}`;
    });
  }

  async get(provider: 'github', externalId: string): Promise<InstallationRecord | null> {
    const [row] = await this.sql<InstallationRow[]>`
      select * from installations where provider = ${provider} and external_id = ${externalId}`;
    if (!row) return null;
    return {
      provider: 'github',
      externalId: row.external_id,
      accountLogin: row.account_login,
      accountType: row.account_type,
      repositorySelection: row.repository_selection,
      repositories: row.repositories,
      permissions: row.permissions,
      events: row.events,
      suspendedAt: row.suspended_at,
      deletedAt: row.deleted_at,
    };
  }
}
