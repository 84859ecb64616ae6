import type { InstallationRepository, RepositoryPermissions } from '@agent-bot/contracts';
import type { NormaliseContext, NormaliseOutcome, ParsedDelivery, WebhookProviderAdapter } from '../providers/provider.js';

/**
 * Runs the provider's normaliser before the delivery is stored, with ports that refuse to be used.
 * When it decides without touching one (no permission lookup, no installation write: most
 * deliveries), the delivery and its outcome are stored in one write. When it needs a port, the
 * answer is discarded (undefined) and the delivery takes the normal path: stored first, then
 * normalised with the real ports. Nothing is acted on before the durable write either way.
 */
export async function decideWithoutLookups(
  adapter: WebhookProviderAdapter,
  parsed: ParsedDelivery,
  delivery: { deliveryId: string; event: string; action: string | null },
  context: NormaliseContext,
): Promise<NormaliseOutcome | undefined> {
  let touched = false;
  const refuse = (): never => {
    touched = true;
    throw new Error('lookup deferred until the delivery is stored');
  };
  const permissions: RepositoryPermissions = { permissionOf: async () => refuse() };
  const installations: InstallationRepository = {
    upsert: async () => refuse(),
    markDeleted: async () => refuse(),
    setSuspended: async () => refuse(),
    changeRepositories: async () => refuse(),
    get: async () => refuse(),
  };
  try {
    const outcome = await adapter.normalise(parsed, delivery, {
      triggers: context.triggers,
      permissions,
      installations,
      // Revoking tokens is a side effect: it too waits until the delivery is stored.
      onGitHubAuthorizationRevoked: context.onGitHubAuthorizationRevoked ? async () => refuse() : undefined,
    });
    // A normaliser may catch the refusal and turn it into an outcome; `touched` tells it apart.
    return touched ? undefined : outcome;
  } catch {
    return undefined;
  }
}
