import { CodexMonitorError } from '../../../core/errors.js';

/** One entry of a GraphQL answer's `errors` (GitHub adds `type`: NOT_FOUND, FORBIDDEN, ...). */
export interface GraphqlErrorEntry {
  message: string;
  type?: string;
  path?: (string | number)[];
}

/**
 * The project cannot be used as configured (not found, no such field, not single-select), or
 * GitHub refused a project request. `notFound`: GitHub said an id or number does not resolve,
 * so the cached ids are dropped and looked up again.
 */
export class ProjectError extends CodexMonitorError {
  constructor(
    message: string,
    readonly notFound = false,
    options?: ErrorOptions,
  ) {
    super('GITHUB_PROJECT', message, options);
  }
}

/** The `errors` of a GraphQL answer octokit threw (GraphqlResponseError), or undefined. */
export function graphqlErrors(error: unknown): GraphqlErrorEntry[] | undefined {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as GraphqlErrorEntry[]) : undefined;
}

/**
 * Runs a project request; GraphQL errors become a ProjectError saying what `what` was.
 * `idsAt: false`: the request names no cached id (the cards are read by number), so a
 * NOT_FOUND there is about the issue, not a sign the project's ids are gone.
 */
export async function projectRequest<T>(
  what: string,
  run: () => Promise<T>,
  { idsAt = true }: { idsAt?: boolean } = {},
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const errors = graphqlErrors(error);
    if (!errors) throw error;
    const notFound = idsAt && errors.some((e) => e.type === 'NOT_FOUND');
    const detail = errors.map((e) => e.message).join('; ');
    const hint = errors.some((e) => e.type === 'FORBIDDEN' || e.type === 'INSUFFICIENT_SCOPES')
      ? ' (the token needs the project scope, or Projects: read and write for an app)'
      : '';
    throw new ProjectError(`GitHub refused ${what}: ${detail}${hint}`, notFound, { cause: error });
  }
}
