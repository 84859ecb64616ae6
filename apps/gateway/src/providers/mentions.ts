/**
 * Text a mention inside does not count: fenced code blocks, inline code, block quotes and HTML
 * comments. Quoting an earlier request must not trigger the bot a second time.
 */
export function stripNonTriggeringText(text: string): string {
  return text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?\2[`~]*[ \t]*$|(?![\s\S]))/gm, ' ')
    .replace(/(`+)[\s\S]*?\1/g, ' ')
    .replace(/^[ \t]*>.*$/gm, ' ');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A mention of `@handle` at a word boundary: not `x@handle`, not `@handle-other`, not `@handlebar`. */
export function mentionPattern(handle: string, flags = 'i'): RegExp {
  return new RegExp(`(?<![\\w@/.-])@${escapeRegExp(handle)}(?![\\w-]|\\[bot\\])`, flags);
}

export function mentionsHandle(text: string | null | undefined, handle: string): boolean {
  if (!text) return false;
  return mentionPattern(handle).test(stripNonTriggeringText(text));
}
