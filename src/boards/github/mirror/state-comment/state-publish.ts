/**
 * What of an attempt the public state comment may show. Anyone who can read the issue reads
 * the comment, so the owner's local paths (a home directory) and the agent's own output stay
 * off it: the artifact id relative to the state directory is enough to find the logs, and an
 * error summary is published only when the operator opts in, redacted and capped
 * (core/publish-error.ts, shared with the notifications of every board). Pure.
 */
export {
  MAX_PUBLISHED_ERROR,
  type PublishOptions,
  publishedError,
  redactForPublication,
} from '../../../../core/publish-error.js';

/**
 * `<task-dir>/<epoch>` of an artifacts path (`…/artifacts/<task-dir>/<epoch>`): the two last
 * segments, which the daemon derives from the task id and the epoch, never from local settings.
 */
export function artifactIdOf(path: string | null | undefined): string | null {
  if (!path) return null;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  if (parts.length < 2) return null;
  return parts.slice(-2).join('/');
}
