import type { SecretRotation } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { requireAdminPrincipal } from '../../../plugins/session.js';

/** POST /api/admin/rotate-keys: re-encrypts every secret at rest with ENCRYPTION_KEY (operators only). */
export async function rotateKeysRoutes(app: FastifyInstance, deps: { secretRotation: SecretRotation }) {
  app.post('/rotate-keys', { preHandler: requireAdminPrincipal }, async (request) => {
    const report = await deps.secretRotation.rotate();
    request.log.info(report, 'secrets re-encrypted with the current key');
    return report;
  });
}
