import {
  type ProviderStandIn,
  bodyObject,
  expectJsonContentType,
  header,
  requireString,
  startProviderStandIn,
} from './stand-in-server.js';

export interface SentryStandIn extends ProviderStandIn {
  comments: { issueId: string; id: string; text: string }[];
}

/**
 * Sentry's issue comments endpoint: `POST /api/0/issues/{issue_id}/comments/` (trailing slash, as
 * all Sentry API paths), `Authorization: Bearer <auth token>`, JSON `{text}`, 201 with the note;
 * 401 `{detail}` for a bad token, 404 for an unknown issue.
 */
export async function startSentryStandIn(options: { token: string; issues: string[] }): Promise<SentryStandIn> {
  const comments: SentryStandIn['comments'] = [];
  const standIn = await startProviderStandIn('Sentry', [
    {
      method: 'POST',
      pattern: /^\/api\/0\/issues\/([^/]+)\/comments\/$/,
      handle(request, [issueId = ''], dryRun) {
        expectJsonContentType(request);
        const text = requireString(request, bodyObject(request), 'text');
        const authorization = header(request, 'authorization');
        if (!authorization) {
          request.problems.push('Authorization: Bearer <auth token> is required');
          return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
        }
        if (!authorization.startsWith('Bearer ')) request.problems.push('Authorization must use the Bearer scheme');
        if (authorization !== `Bearer ${options.token}`) return { status: 401, body: { detail: 'Invalid token' } };
        if (!options.issues.includes(issueId)) return { status: 404, body: { detail: 'The requested resource does not exist' } };
        if (!text) return { status: 400, body: { text: ['This field is required.'] } };
        if (dryRun) return { status: 204 };
        const id = String(500 + comments.length);
        comments.push({ issueId, id, text: text ?? '' });
        return {
          status: 201,
          body: { id, type: 'note', data: { text }, dateCreated: new Date().toISOString(), user: { id: '1', name: 'agent-bot' } },
        };
      },
    },
  ]);
  return { ...standIn, comments };
}
