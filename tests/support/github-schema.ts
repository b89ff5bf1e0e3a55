/**
 * GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process. Built from
 * its introspection JSON: the package's SDL defines two EnterpriseOwnerInfo fields twice, which
 * `buildSchema` refuses.
 */
import { schema } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
  parse,
  validate,
} from 'graphql';

let built: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(schema.json as IntrospectionQuery);
  return built;
}

/** The validation errors of `document` against GitHub's schema (a parse error included). */
export function validateAgainstGitHub(document: string): readonly GraphQLError[] {
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(document);
  } catch (error) {
    return [error as GraphQLError];
  }
  return validate(githubSchema(), ast);
}
