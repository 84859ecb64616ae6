import { redactTokens } from '@agent-bot/observability';

/**
 * Untrusted text (comments, issue bodies, Slack messages) becomes part of an agent's prompt. Hidden
 * content is the classic prompt-injection carrier, so it is removed before anything reads it:
 * HTML comments, elements a renderer hides, attributes that carry invisible text, zero-width and
 * bidirectional control characters. Tokens pasted by mistake are redacted.
 */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HIDDEN_ELEMENT =
  /<([a-z][a-z0-9]*)\b[^>]*\s(?:hidden\b|aria-hidden\s*=\s*["']?true|style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden)[^"']*["'])[^>]*>[\s\S]*?<\/\1\s*>/gi;
const SELF_CLOSING_HIDDEN = /<[a-z][a-z0-9]*\b[^>]*\s(?:hidden\b|aria-hidden\s*=\s*["']?true)[^>]*\/?>/gi;
/** alt, title, aria-label and data-* hold text a reader never sees on the rendered page. */
const HIDDEN_ATTRIBUTE = /\s(?:alt|title|aria-label|aria-description|data-[a-z0-9-]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;
const TAG = /<[a-z][a-z0-9]*\b[^>]*>/gi;
/** Zero-width, word joiner, BOM, soft hyphen, Mongolian vowel separator, bidi embeddings/overrides/isolates, tag characters. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;
/** C0 controls other than tab and newline (NUL also cannot be stored in PostgreSQL text or jsonb). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function sanitizeUntrustedText(text: string, maxLength = 60_000): string {
  let result = text.replace(INVISIBLE, '').replace(CONTROL, '');
  result = result.replace(HTML_COMMENT, '');
  result = result.replace(HIDDEN_ELEMENT, '');
  result = result.replace(SELF_CLOSING_HIDDEN, '');
  result = result.replace(TAG, (tag) => tag.replace(HIDDEN_ATTRIBUTE, ''));
  result = redactTokens(result);
  result = result.replace(/\r\n?/g, '\n').trim();
  return result.length > maxLength ? `${result.slice(0, maxLength)}\n[truncated]` : result;
}
