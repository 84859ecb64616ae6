import type { FastifyInstance } from 'fastify';

const answer = {
  error: {
    code: 'ENCRYPTION_KEY_REQUIRED',
    message: 'set ENCRYPTION_KEY: GitHub setup, sign-in and key rotation store secrets encrypted',
  },
};

/** Without ENCRYPTION_KEY the GitHub routes exist but explain what is missing. */
export async function githubNotConfiguredRoutes(app: FastifyInstance) {
  for (const url of ['/setup', '/setup/callback', '/oauth/github/authorize', '/oauth/github/callback']) {
    app.get(url, async (_request, reply) => reply.status(503).send(answer));
  }
  app.post('/api/admin/rotate-keys', async (_request, reply) => reply.status(503).send(answer));
}
