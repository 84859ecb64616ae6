/** The small HTML pages of the app setup flow. Everything interpolated is escaped. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · agent-bot</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
code{background:#f3f3f3;padding:0 .25rem}button{font-size:1rem;padding:.5rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

export function manifestFormPage(input: {
  action: string;
  manifest: unknown;
  organization: string | undefined;
  existingApp: string | undefined;
}): string {
  const owner = input.organization ? `the organization <code>${escapeHtml(input.organization)}</code>` : 'your GitHub account';
  const existing = input.existingApp
    ? `<p>An app is already set up (<code>${escapeHtml(input.existingApp)}</code>). Creating another replaces it here.</p>`
    : '';
  return page(
    'Set up the GitHub App',
    `${existing}<p>This creates a GitHub App for agent-bot owned by ${owner}, with the permissions it needs
(contents, issues and pull requests: write; metadata and actions: read) and its webhook pointed here.
Use <code>?org=NAME</code> to create it for an organization.</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(input.manifest))}">
<button type="submit">Create the GitHub App</button>
</form>`,
  );
}

export function environmentAppPage(appId: string): string {
  return page(
    'GitHub App configured',
    `<p>The app <code>${escapeHtml(appId)}</code> comes from the environment (GITHUB_APP_ID), so the manifest flow is off.</p>`,
  );
}

export function createdPage(input: { slug?: string | undefined; htmlUrl?: string | undefined; appId: string }): string {
  const install = input.htmlUrl
    ? `<p><a href="${escapeHtml(input.htmlUrl)}/installations/new">Install it on your repositories</a>.</p>`
    : '';
  return page(
    'GitHub App created',
    `<p>The app <code>${escapeHtml(input.slug ?? input.appId)}</code> is stored (its private key and secrets encrypted).</p>${install}
<p><a href="/">Open the dashboard</a></p>`,
  );
}
