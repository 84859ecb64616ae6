import type {
  DeliveryRepository,
  InstallationRepository,
  RepositoryPermissions,
  TaskQueueLedger,
  WebhookProvider,
} from '@agent-bot/contracts';
import type { WebhookSecretSource } from './providers/provider.js';
import type { QueueHandoffs } from './use-cases/queue-handoffs.js';

/** What webhook ingestion needs beyond the gateway's common deps. */
export interface IngestionDeps {
  deliveries: DeliveryRepository;
  installations: InstallationRepository;
  taskLedger: TaskQueueLedger;
  /** Collaborator permission lookups for authors whose author_association is not decisive. */
  permissions: RepositoryPermissions;
  botHandle: string;
  botLabel: string;
  /** Per-provider secrets; a provider without one refuses every request with 401. */
  secrets: Partial<Record<Exclude<WebhookProvider, 'github'>, string | undefined>> & { github?: WebhookSecretSource };
  /** Deletes a user's GitHub tokens and sessions when they revoke the app's authorization. */
  onGitHubAuthorizationRevoked?: (githubUserId: string) => Promise<void>;
  /** Milliseconds since the epoch; injected so Slack timestamp checks are testable. */
  now?: () => number;
  /** Queue hand-offs made after acknowledging; passed in by tests that wait for them to settle. */
  handoffs?: QueueHandoffs;
}
