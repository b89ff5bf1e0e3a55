/** Matches a method and path against GitHub path templates. */
import type { Method, RouteDef } from '../routes/context.js';

type Segment = { literal: string } | { param: string; rest: boolean };

interface Compiled {
  def: RouteDef;
  segments: Segment[];
  /** Template as GitHub documents it (`{ref}`, not `{ref*}`), used in statistics. */
  template: string;
}

export interface Match {
  def: RouteDef;
  template: string;
  params: Record<string, string>;
}

export class Router {
  readonly #routes: Compiled[] = [];

  add(defs: RouteDef[]): void {
    for (const def of defs) {
      const segments = def.path
        .split('/')
        .slice(1)
        .map((part): Segment => {
          const m = /^\{(\w+)(\*?)\}$/.exec(part);
          return m ? { param: m[1]!, rest: m[2] === '*' } : { literal: part };
        });
      this.#routes.push({ def, segments, template: def.path.replace('*}', '}') });
    }
    // A literal segment wins over a parameter at the same position
    // (`/issues/comments` is not issue number "comments").
    this.#routes.sort((a, b) => specificity(b.segments) - specificity(a.segments));
  }

  /**
   * Finds the route for a raw (still percent-encoded) path. Segments are decoded one by one, so
   * `heads%2Fmain` (as Octokit sends it) and `heads/main` both reach `{ref*}` as `heads/main`.
   */
  match(method: string, rawPath: string): Match | undefined {
    let parts: string[];
    try {
      parts = rawPath.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return undefined;
    }
    for (const route of this.#routes) {
      if (route.def.method !== (method as Method)) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { def: route.def, template: route.template, params };
    }
    return undefined;
  }
}

function specificity(segments: Segment[]): number {
  let score = 0;
  for (const [i, segment] of segments.entries()) if ('literal' in segment) score += 2 ** (16 - i);
  return score;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('literal' in segment) {
      if (parts[i] !== segment.literal) return undefined;
    } else if (segment.rest) {
      if (i >= parts.length) return undefined;
      params[segment.param] = parts.slice(i).join('/');
      return params;
    } else {
      const part = parts[i];
      if (part === undefined || part === '') return undefined;
      params[segment.param] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}
