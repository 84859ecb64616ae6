import type { InstallationRepository, InstallationRepositoryRef } from '@agent-bot/contracts';
import { type NormaliseOutcome, ignored } from '../provider.js';

interface InstallationPayload {
  action?: string;
  installation?: {
    id: number;
    account?: { login?: string; type?: string } | null;
    repository_selection?: string;
    permissions?: Record<string, string>;
    events?: string[];
    suspended_at?: string | null;
  };
  repositories?: Array<{ id: number; full_name: string }>;
  repositories_added?: Array<{ id: number; full_name: string }>;
  repositories_removed?: Array<{ id: number; full_name: string }>;
}

function refs(list: Array<{ id: number; full_name: string }> | undefined): InstallationRepositoryRef[] {
  return (list ?? []).map((repo) => ({ id: repo.id, fullName: repo.full_name }));
}

/** installation and installation_repositories keep the installations table current; they never make tasks. */
export async function recordInstallationEvent(
  installations: InstallationRepository,
  event: string,
  payload: InstallationPayload,
): Promise<NormaliseOutcome> {
  const installation = payload.installation;
  if (!installation) return ignored(`${event} without an installation`);
  const externalId = String(installation.id);
  const action = payload.action ?? 'unknown';
  if (event === 'installation_repositories') {
    await installations.changeRepositories('github', externalId, {
      added: refs(payload.repositories_added),
      removed: refs(payload.repositories_removed),
    });
    return ignored(`installation ${externalId} repositories updated (${action})`);
  }
  if (action === 'deleted') {
    await installations.markDeleted('github', externalId);
  } else if (action === 'suspend' || action === 'unsuspend') {
    await installations.setSuspended('github', externalId, action === 'suspend');
  } else {
    await installations.upsert({
      provider: 'github',
      externalId,
      accountLogin: installation.account?.login ?? null,
      accountType: installation.account?.type ?? null,
      repositorySelection: installation.repository_selection ?? null,
      // Only `created` lists the repositories; other actions keep the stored list.
      repositories: payload.repositories ? refs(payload.repositories) : undefined,
      permissions: installation.permissions ?? {},
      events: installation.events ?? [],
      suspendedAt: installation.suspended_at ? new Date(installation.suspended_at) : null,
    });
  }
  return ignored(`installation ${externalId} recorded (${action})`);
}
