export interface InstallationRepositoryRef {
  id: number;
  fullName: string;
}

export interface InstallationRecord {
  provider: 'github';
  externalId: string;
  accountLogin: string | null;
  accountType: string | null;
  /** all | selected */
  repositorySelection: string | null;
  repositories: InstallationRepositoryRef[];
  permissions: Record<string, string>;
  events: string[];
  suspendedAt: Date | null;
  deletedAt: Date | null;
}

/** Keeps the installations table in step with installation webhooks. */
export interface InstallationRepository {
  /** Creates or replaces the installation's metadata; repositories are replaced only when given. */
  upsert(
    installation: Omit<InstallationRecord, 'repositories' | 'deletedAt'> & { repositories?: InstallationRepositoryRef[] },
  ): Promise<void>;
  markDeleted(provider: 'github', externalId: string): Promise<void>;
  setSuspended(provider: 'github', externalId: string, suspended: boolean): Promise<void>;
  /** Adds and removes repositories by id (installation_repositories.added/removed). */
  changeRepositories(
    provider: 'github',
    externalId: string,
    change: { added: InstallationRepositoryRef[]; removed: InstallationRepositoryRef[] },
  ): Promise<void>;
  get(provider: 'github', externalId: string): Promise<InstallationRecord | null>;
}
