import { AppError, repoFullNameSchema } from '@agent-bot/contracts';

/**
 * Refuses a repository name before any git command or path is built from it: a name like
 * `../../etc` or `--upload-pack=x/y` must never reach the filesystem or git's option parser.
 */
export function assertRepoFullName(repo: string): { owner: string; name: string } {
  const parsed = repoFullNameSchema.safeParse(repo);
  if (!parsed.success) {
    throw new AppError('REPO_NAME_INVALID', `repository name ${JSON.stringify(repo.slice(0, 200))} is not a valid owner/name`, {
      expected: true,
    });
  }
  const [owner, name] = parsed.data.split('/') as [string, string];
  return { owner, name };
}

/** Branch names we create or check out: git's rules plus no leading dash (option injection). */
export function assertSafeRefName(ref: string): string {
  const ok =
    /^[A-Za-z0-9._/-]{1,200}$/.test(ref) &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//');
  if (!ok)
    throw new AppError('REF_NAME_INVALID', `ref name ${JSON.stringify(ref.slice(0, 200))} is not allowed`, { expected: true });
  return ref;
}
