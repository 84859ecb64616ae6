/** A clear task error for a failed Messages API call, by HTTP status. */
export function describeApiError(status: number | null | undefined, detail: string): { code: string; message: string } {
  switch (status) {
    case 401:
    case 403:
      return { code: 'MODEL_AUTH_FAILED', message: `the model API refused the credentials (${status}): check ANTHROPIC_API_KEY` };
    case 429:
      return { code: 'MODEL_RATE_LIMITED', message: 'the model API rate-limited the request (429); retry later' };
    case 529:
      return { code: 'MODEL_OVERLOADED', message: 'the model API is overloaded (529); retry later' };
    default:
      if (status && status >= 500) return { code: 'MODEL_API_ERROR', message: `the model API failed (${status}): ${detail}` };
      return { code: 'MODEL_API_ERROR', message: `the model API call failed${status ? ` (${status})` : ''}: ${detail}` };
  }
}
