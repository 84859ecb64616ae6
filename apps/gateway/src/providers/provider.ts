import type { Delivery, InstallationRepository, RepositoryPermissions, TaskRequest, WebhookProvider } from '@agent-bot/contracts';

/** Lower-cased request headers with single values (Fastify's IncomingHttpHeaders narrowed). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** Why a request was refused before anything was stored. 401 for authenticity, 400 for shape. */
export interface Rejection {
  status: 400 | 401;
  code: string;
  message: string;
}

export type VerifyResult = { ok: true } | { ok: false; rejection: Rejection };

/** What identifies a verified delivery, or an immediate answer that stores nothing (Slack's challenge). */
export type Identified =
  | { kind: 'delivery'; deliveryId: string; event: string; action: string | null }
  | { kind: 'immediate'; status: number; body: unknown }
  | { kind: 'rejected'; rejection: Rejection };

/** Delivery ids are stored under a unique index: a missing or oversized one is refused, never guessed. */
export function isUsableDeliveryId(deliveryId: string | undefined): deliveryId is string {
  return deliveryId !== undefined && deliveryId !== '' && deliveryId.length <= 200;
}

/** The 400 for a delivery without a usable id; `source` names where the provider puts it. */
export function deliveryIdMissing(source: string): Identified {
  return { kind: 'rejected', rejection: { status: 400, code: 'DELIVERY_ID_MISSING', message: `${source} is required` } };
}

/** The result of normalising an event: a task to create, or why nothing is done. */
export type NormaliseOutcome = { kind: 'task'; request: TaskRequest } | { kind: 'ignored'; reason: string };

export interface TriggerSettings {
  /** The bot's handle without @, lower-cased. */
  botHandle: string;
  botLabel: string;
}

/** What normalisers may use; everything is a port so the same code runs for ingest, replay and reconcile. */
export interface NormaliseContext {
  triggers: TriggerSettings;
  permissions: RepositoryPermissions;
  installations: InstallationRepository;
  /** A user revoked the app's authorization: delete their tokens and end their sessions. */
  onGitHubAuthorizationRevoked?: (githubUserId: string) => Promise<void>;
}

/** A secret fixed in configuration, or read when needed (a GitHub App created through /setup). */
export type WebhookSecretSource = string | undefined | (() => Promise<string | undefined>);

export interface ParsedDelivery {
  payload: unknown;
  /** The stored headers (content type, event name), the same on replay as on first receipt. */
  headers: Record<string, string>;
}

/**
 * One webhook provider: verification and identification happen on the live request only;
 * `parse` and `normalise` also run on replay and in the reconciler, from the stored bytes.
 */
export interface WebhookProviderAdapter {
  readonly name: WebhookProvider;
  /** Largest body accepted (Fastify answers 413 above it). */
  readonly bodyLimit: number;
  /** Content types this provider sends; anything else is 415. */
  readonly contentTypes: readonly string[];
  /** Headers worth keeping with the delivery (never signatures). */
  readonly storedHeaders: readonly string[];
  /** Checks authenticity over the exact bytes; an unconfigured secret refuses everything (401). */
  /** Checks authenticity over the exact bytes; an unconfigured secret refuses everything (401). */
  verify(input: { raw: Buffer; headers: WebhookHeaders; nowMs: number }): VerifyResult | Promise<VerifyResult>;
  /** Decodes the stored body; a malformed body is a 400 on the live path and a failure on replay. */
  parse(body: string, headers: Record<string, string>): { ok: true; payload: unknown } | { ok: false; rejection: Rejection };
  identify(parsed: ParsedDelivery, raw: Buffer): Identified;
  normalise(
    parsed: ParsedDelivery,
    delivery: Pick<Delivery, 'deliveryId' | 'event' | 'action'>,
    context: NormaliseContext,
  ): Promise<NormaliseOutcome>;
  /** The body of the acknowledgement, when the provider shows it to a user (Slack slash commands). */
  acknowledgement?(parsed: ParsedDelivery, result: { status: string; taskId: string | null }): unknown;
}

export function headerValue(headers: WebhookHeaders | Record<string, string>, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value[0];
  return value === undefined || value === '' ? undefined : value;
}

export function reject(status: 400 | 401, code: string, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { status, code, message } };
}

export function ignored(reason: string): NormaliseOutcome {
  return { kind: 'ignored', reason };
}
