/**
 * `POST /graphql`: documents are parsed and validated against GitHub's published schema
 * (@octokit/graphql-schema) and executed against the fake's data with graphql-js, for exactly the
 * root fields codex-monitor sends (graphql-resolvers.ts). As GitHub answers: 200 with `errors`
 * for a document that does not parse or validate (no `data`), and 200 with `data` and `errors`
 * (each with its `type`, e.g. NOT_FOUND) when a field cannot be resolved.
 */
import {
  type DocumentNode,
  executeSync,
  type GraphQLError,
  getOperationAST,
  Kind,
  parse,
  validate,
} from 'graphql';
import { githubSchema } from '../../github-schema.js';
import { objectBody } from '../http.js';
import { ok, type RouteDef, type RouteRequest, routesFor } from './context.js';
import { rootValue, SERVED } from './graphql-resolvers.js';

const DOCS = 'graphql';

/** GitHub's shape: message, locations, path, and `type` beside them (not under extensions). */
function shaped(error: GraphQLError) {
  const { type, ...extensions } = error.extensions ?? {};
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

const failure = (errors: readonly GraphQLError[]) => ok({ errors: errors.map(shaped) });

/** The root fields the operation selects that the fake does not serve. */
function unserved(document: DocumentNode, operationName: string | undefined): string[] {
  const op = getOperationAST(document, operationName);
  if (!op) return [];
  const served: readonly string[] =
    op.operation === 'mutation' ? SERVED.mutation : op.operation === 'query' ? SERVED.query : [];
  return op.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD && s.name.value !== '__typename' && !served.includes(s.name.value)
      ? [`${op.operation}.${s.name.value}`]
      : [],
  );
}

function handle(req: RouteRequest) {
  const body = objectBody(req.body);
  const source = typeof body.query === 'string' ? body.query : '';
  const variables = body.variables && typeof body.variables === 'object' ? body.variables : {};
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    return failure([error as GraphQLError]);
  }
  const invalid = validate(githubSchema(), document);
  if (invalid.length > 0) return failure(invalid);
  const missing = unserved(document, operationName);
  if (missing.length > 0) {
    return ok({
      errors: [{ message: `The fake GitHub does not serve ${missing.join(', ')} over GraphQL.` }],
    });
  }
  const result = executeSync({
    schema: githubSchema(),
    document,
    rootValue: rootValue(req),
    variableValues: variables as Record<string, unknown>,
    ...(operationName ? { operationName } : {}),
  });
  return ok({
    data: result.data ?? null,
    ...(result.errors?.length ? { errors: result.errors.map(shaped) } : {}),
  });
}

export function graphqlRoutes(): RouteDef[] {
  // Any token may ask; each field checks its own permission (graphql-resolvers.ts).
  return [routesFor('metadata').post('/graphql', DOCS, handle)];
}
