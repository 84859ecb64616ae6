/**
 * Where browsers meet GitHub for a given API URL: github.com for api.github.com, the server root
 * for GitHub Enterprise Server (/api/v3 stripped), and the stand-in itself in tests. Mirrors
 * @octokit/oauth-methods so the authorize page and the token exchange agree.
 */
export function githubWebUrl(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/(api\.)?github\.com$/.test(base)) return 'https://github.com';
  if (/^https:\/\/api\..*\.ghe\.com$/.test(base)) return base.replace('api.', '');
  return base.replace(/\/api\/v3$/, '');
}
