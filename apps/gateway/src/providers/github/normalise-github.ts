import type { TaskKind } from '@agent-bot/contracts';
import { mentionPattern, mentionsHandle, stripNonTriggeringText } from '../mentions.js';
import { type NormaliseContext, type NormaliseOutcome, ignored } from '../provider.js';
import { sanitizeUntrustedText } from '../sanitize.js';
import { kindFromText } from '../task-kind.js';
import { automatedAuthorReason, authorizeAuthor } from './authorize-author.js';
import type { GitHubComment, GitHubIssueLike, GitHubPayload, GitHubUser } from './github-payload.js';
import { recordInstallationEvent } from './installation-events.js';
import { priorityFromLabels } from './priority-from-labels.js';
import { pullRequestContext } from './pull-request-context.js';

/** What one trigger found: who asked, what they wrote, and where to reply. */
interface Trigger {
  actor: GitHubUser;
  /** author_association of the text's author; absent for labels and assignments (the sender acted). */
  association?: string;
  text: string;
  defaultKind: TaskKind;
  /** Whether the kind may be read from the verb after the mention. */
  fromMention: boolean;
  target: GitHubIssueLike;
  isPullRequest: boolean;
  context: Record<string, unknown>;
  how: string;
}

const MENTION_EVENTS = new Set([
  'issue_comment.created',
  'pull_request_review_comment.created',
  'pull_request_review.submitted',
  'issues.opened',
]);
const HANDLED_EVENTS = new Set(['issue_comment', 'pull_request_review_comment', 'pull_request_review', 'issues', 'pull_request']);

/** Turns a verified GitHub event into a task request, or says why it is ignored. */
export async function normaliseGitHub(
  event: string,
  payload: GitHubPayload,
  context: NormaliseContext,
): Promise<NormaliseOutcome> {
  if (event === 'installation' || event === 'installation_repositories') {
    return recordInstallationEvent(context.installations, event, payload as never);
  }
  const action = payload.action ?? '';
  if (event === 'github_app_authorization' && action === 'revoked' && payload.sender?.id !== undefined) {
    if (!context.onGitHubAuthorizationRevoked) return ignored('authorization revoked; no GitHub sign-in configured');
    await context.onGitHubAuthorizationRevoked(String(payload.sender.id));
    return ignored(`authorization revoked by user ${payload.sender.id}: tokens and sessions deleted`);
  }
  if (!HANDLED_EVENTS.has(event)) return ignored(`event not handled: ${event}`);

  const found = findTrigger(`${event}.${action}`, payload, context);
  if ('reason' in found) return ignored(found.reason);
  const trigger = found.trigger;

  const automated = automatedAuthorReason(trigger.actor, context.triggers.botHandle);
  if (automated) return ignored(automated);

  const repo = payload.repository?.full_name;
  const installationId = payload.installation ? String(payload.installation.id) : undefined;
  const decision = await authorizeAuthor(context.permissions, {
    user: trigger.actor,
    association: trigger.association,
    installationId,
    repo,
  });
  if (!decision.allowed) return ignored(decision.reason);

  const text = sanitizeUntrustedText(trigger.text);
  const title = sanitizeUntrustedText(trigger.target.title ?? '', 500);
  const mention = trigger.fromMention ? mentionPattern(context.triggers.botHandle) : null;
  const kind = kindFromText(stripNonTriggeringText(text), mention, trigger.defaultKind);
  const where = `${repo ?? 'unknown repository'}#${trigger.target.number}`;
  const prompt = `${trigger.isPullRequest ? 'Pull request' : 'Issue'} ${where}: ${title}\nRequested by @${trigger.actor.login} (${trigger.how}):\n\n${text || title}`;

  return {
    kind: 'task',
    request: {
      kind,
      priority: priorityFromLabels(trigger.target.labels),
      source: 'github',
      prompt,
      title: title || undefined,
      repo,
      installationId,
      requestedBy: trigger.actor.login,
      context: {
        provider: 'github',
        event,
        action,
        trigger: trigger.how,
        installationId,
        repo,
        issueNumber: trigger.target.number,
        isPullRequest: trigger.isPullRequest,
        targetHtmlUrl: trigger.target.html_url,
        ...pullRequestContext(payload, trigger.isPullRequest, trigger.target.number),
        ...trigger.context,
      },
    },
  };
}

function commentContext(comment: GitHubComment): Record<string, unknown> {
  return { commentId: comment.id, htmlUrl: comment.html_url };
}

function findTrigger(key: string, payload: GitHubPayload, context: NormaliseContext): { trigger: Trigger } | { reason: string } {
  const { botHandle, botLabel } = context.triggers;
  const noMention = { reason: `no trigger: ${key} does not mention @${botHandle}` };
  if (MENTION_EVENTS.has(key)) {
    if (key === 'issue_comment.created' && payload.comment && payload.issue) {
      const comment = payload.comment;
      if (!comment.user) return { reason: 'comment without an author' };
      const automated = automatedAuthorReason(comment.user, botHandle);
      if (automated) return { reason: automated };
      if (!mentionsHandle(comment.body, botHandle)) return noMention;
      const isPullRequest = Boolean(payload.issue.pull_request);
      return {
        trigger: {
          actor: comment.user,
          association: comment.author_association,
          text: comment.body ?? '',
          defaultKind: 'answer',
          fromMention: true,
          target: payload.issue,
          isPullRequest,
          context: commentContext(comment),
          how: 'mention in a comment',
        },
      };
    }
    if (key === 'pull_request_review_comment.created' && payload.comment && payload.pull_request) {
      const comment = payload.comment;
      if (!comment.user) return { reason: 'comment without an author' };
      const automated = automatedAuthorReason(comment.user, botHandle);
      if (automated) return { reason: automated };
      if (!mentionsHandle(comment.body, botHandle)) return noMention;
      return {
        trigger: {
          actor: comment.user,
          association: comment.author_association,
          text: comment.body ?? '',
          defaultKind: 'fix',
          fromMention: true,
          target: payload.pull_request,
          isPullRequest: true,
          context: {
            ...commentContext(comment),
            reviewCommentId: comment.id,
            // Replies go to the thread's first comment.
            threadCommentId: comment.in_reply_to_id ?? comment.id,
            reviewId: comment.pull_request_review_id ?? undefined,
            path: comment.path,
            line: comment.line ?? undefined,
            commitId: comment.commit_id,
          },
          how: 'mention in a review comment',
        },
      };
    }
    if (key === 'pull_request_review.submitted' && payload.review && payload.pull_request) {
      const review = payload.review;
      if (!review.user) return { reason: 'review without an author' };
      const automated = automatedAuthorReason(review.user, botHandle);
      if (automated) return { reason: automated };
      if (!mentionsHandle(review.body, botHandle)) return noMention;
      return {
        trigger: {
          actor: review.user,
          association: review.author_association,
          text: review.body ?? '',
          defaultKind: review.state === 'changes_requested' ? 'fix' : 'review',
          fromMention: true,
          target: payload.pull_request,
          isPullRequest: true,
          context: { reviewId: review.id, htmlUrl: review.html_url, reviewState: review.state },
          how: 'mention in a review',
        },
      };
    }
    if (key === 'issues.opened' && payload.issue) {
      const issue = payload.issue;
      if (!issue.user) return { reason: 'issue without an author' };
      const automated = automatedAuthorReason(issue.user, botHandle);
      if (automated) return { reason: automated };
      if (!mentionsHandle(issue.body, botHandle) && !mentionsHandle(issue.title, botHandle)) return noMention;
      return {
        trigger: {
          actor: issue.user,
          association: issue.author_association,
          text: issue.body ?? '',
          defaultKind: 'fix',
          fromMention: true,
          target: issue,
          isPullRequest: false,
          context: { htmlUrl: issue.html_url },
          how: 'mention in a new issue',
        },
      };
    }
    return { reason: `no trigger: ${key} payload is incomplete` };
  }

  const target = payload.issue ?? payload.pull_request;
  const isPullRequest = !payload.issue;
  if ((key === 'issues.labeled' || key === 'pull_request.labeled') && target) {
    if (payload.label?.name.toLowerCase() !== botLabel.toLowerCase()) {
      return { reason: `no trigger: label ${payload.label?.name ?? '(none)'} is not ${botLabel}` };
    }
    if (!payload.sender) return { reason: 'label without a sender' };
    return {
      trigger: {
        actor: payload.sender,
        text: `${target.body ?? ''}`,
        defaultKind: isPullRequest ? 'review' : 'fix',
        fromMention: false,
        target,
        isPullRequest,
        context: { htmlUrl: target.html_url },
        how: `label ${botLabel}`,
      },
    };
  }
  if ((key === 'issues.assigned' || key === 'pull_request.assigned') && target) {
    const assignee = payload.assignee?.login.toLowerCase();
    if (assignee !== botHandle && assignee !== `${botHandle}[bot]`) {
      return { reason: `no trigger: assigned to ${payload.assignee?.login ?? 'nobody'}, not @${botHandle}` };
    }
    if (!payload.sender) return { reason: 'assignment without a sender' };
    return {
      trigger: {
        actor: payload.sender,
        text: `${target.body ?? ''}`,
        defaultKind: isPullRequest ? 'review' : 'fix',
        fromMention: false,
        target,
        isPullRequest,
        context: { htmlUrl: target.html_url },
        how: 'assignment',
      },
    };
  }
  return { reason: `action not handled: ${key}` };
}
