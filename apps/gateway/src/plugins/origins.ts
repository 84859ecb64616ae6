/** Browser origins allowed to call the API with credentials and to open the WebSocket. */
export function allowedOrigins(publicUrl: string, corsOrigins: string[]): string[] {
  const origins = new Set<string>();
  for (const value of [publicUrl, ...corsOrigins]) {
    try {
      origins.add(new URL(value).origin);
    } catch {
      // Config validation rejects bad URLs for PUBLIC_URL; a malformed CORS entry simply matches nothing.
    }
  }
  return [...origins];
}
