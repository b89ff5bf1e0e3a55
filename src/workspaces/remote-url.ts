/**
 * Which `owner/repo` a git remote URL points at, for every form a clone of a GitHub
 * repository may use: https://host/owner/repo(.git), ssh://[user@]host[:port]/owner/repo(.git),
 * git@host:owner/repo(.git), git://…, file://… and a local path whose last two segments are
 * owner/repo(.git) (the tests' bare "remote").
 */

/** `owner/repo` of `url`, or null when it has fewer than two path segments. */
export function repositoryOfUrl(url: string): string | null {
  let path: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    try {
      path = decodeURIComponent(new URL(url).pathname);
    } catch {
      return null;
    }
  } else {
    // scp-like `user@host:path` (no slash before the first colon), else a local path.
    const scp = /^([^/:]+):(.*)$/.exec(url);
    path = scp ? scp[2]! : url;
  }
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '');
  if (segments.length < 2) return null;
  const owner = segments[segments.length - 2]!;
  const repo = segments[segments.length - 1]!.replace(/\.git$/i, '');
  return repo === '' ? null : `${owner}/${repo}`;
}

/** Whether two `owner/repo` names are the same repository (GitHub ignores case). */
export function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
