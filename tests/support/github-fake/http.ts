/** HTTP plumbing shared by the pipeline and the routes: GitHub-shaped errors and bodies. */
import type { IncomingMessage } from 'node:http';

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

/** What a handler answers; the pipeline adds headers common to every response. */
export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';

/**
 * An error answered in GitHub's shape `{ message, documentation_url, errors?, status }`.
 * Handlers throw it synchronously, before changing anything.
 */
export class GitHubError extends Error {
  readonly status: number;
  /** Field errors, or plain strings as in `validation-error-simple` ("Can not approve your own pull request"). */
  readonly errors: (FieldError | string)[] | undefined;
  readonly documentationUrl: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { errors?: (FieldError | string)[]; docs?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.errors = opts.errors;
    this.documentationUrl = opts.docs ? `${DOCS}/${opts.docs}` : DOCS;
    this.headers = opts.headers ?? {};
  }

  toResult(): ApiResult {
    const body: Record<string, unknown> = { message: this.message };
    if (this.errors) body.errors = this.errors;
    body.documentation_url = this.documentationUrl;
    // GitHub has added the status, as a string, to error bodies.
    body.status = String(this.status);
    return { status: this.status, body, headers: this.headers };
  }
}

export const notFound = (docs?: string): GitHubError => new GitHubError(404, 'Not Found', { docs });

export function validationFailed(errors: FieldError[], docs?: string): GitHubError {
  return new GitHubError(422, 'Validation Failed', { errors, docs });
}

/** GitHub's JSON-schema style message for a missing required field. */
export function missingField(field: string, docs?: string): GitHubError {
  return new GitHubError(422, `Invalid request.\n\n"${field}" wasn't supplied.`, { docs });
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new GitHubError(413, 'Payload too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON');
  }
}

export type Json = Record<string, unknown>;

/** The request body as an object (GitHub rejects non-object bodies for these endpoints). */
export function objectBody(body: unknown): Json {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new GitHubError(400, 'Problems parsing JSON');
  }
  return body as Json;
}
