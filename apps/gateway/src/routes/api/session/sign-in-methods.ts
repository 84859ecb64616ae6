import type { GatewayDeps } from '../../../deps.js';

/** What the sign-in page may offer, so it never shows a button that ends on an error page. */
export interface SignInMethods {
  adminToken: { available: boolean };
  github: {
    available: boolean;
    /** Why it is not available and how an operator enables it; null when it is available. */
    hint: string | null;
    /** Where an operator creates the GitHub App (the manifest flow), when that is the way. */
    setupUrl: string | null;
  };
}

/**
 * GitHub sign-in needs ENCRYPTION_KEY (tokens are stored encrypted) and an app with OAuth
 * credentials: one created at /setup, or GITHUB_CLIENT_ID + GITHUB_CLIENT_SECRET beside an app
 * configured in the environment (whose credentials /setup cannot change).
 */
export async function signInMethods(deps: Pick<GatewayDeps, 'adminToken' | 'github'>): Promise<SignInMethods> {
  const adminToken = { available: Boolean(deps.adminToken) };
  if (!deps.github) {
    return {
      adminToken,
      github: {
        available: false,
        hint: 'Set ENCRYPTION_KEY and restart the gateway, then create a GitHub App at /setup.',
        setupUrl: null,
      },
    };
  }
  if (await deps.github.app.oauth()) return { adminToken, github: { available: true, hint: null, setupUrl: null } };
  if (deps.github.app.configuredByEnvironment) {
    return {
      adminToken,
      github: {
        available: false,
        hint: "Set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the GitHub App's OAuth credentials) and restart the gateway.",
        setupUrl: null,
      },
    };
  }
  return {
    adminToken,
    github: {
      available: false,
      hint: 'An operator signs in with the admin token, then creates a GitHub App at /setup.',
      setupUrl: '/setup',
    },
  };
}
