/**
 * Checks the fake's answers against their schemas in GitHub's OpenAPI description
 * (@octokit/openapi), looked up by path template + method + status.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from './helpers.js';

/** `[method, path template, status, send]`: one request and the status it must get. */
export type SchemaCase = [string, string, number, () => Promise<Reply>];

const require = createRequire(import.meta.url);
const SPEC_FILE = join(
  dirname(require.resolve('@octokit/openapi/package.json')),
  'generated/api.github.com.json',
);

type Node = Record<string, unknown>;

/**
 * OpenAPI 3.0 `nullable` is not JSON Schema: turn it into `type: [t, 'null']` (adding null to
 * an enum), or `anyOf [schema, null]` when there is no type. Local `$ref`s are pointed at the
 * document registered as `gh`, so any subschema can be compiled on its own.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) out[k] = toJsonSchema(v);
  if (typeof out.$ref === 'string' && out.$ref.startsWith('#/')) out.$ref = `gh${out.$ref}`;
  if (out.nullable === true) {
    delete out.nullable;
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined) return { anyOf: [out, { type: 'null' }] };
  } else if (out.nullable === false) {
    delete out.nullable;
  }
  return out;
}

// ajv-formats is CommonJS: depending on the loader its plugin is the import or its `.default`.
const addFormats = ((addFormatsPlugin as { default?: unknown }).default ??
  addFormatsPlugin) as typeof addFormatsPlugin.default;

let spec: { paths: Record<string, Record<string, Node>>; components: Node };
let ajv: Ajv;

/** The compiled response schema, or null when the operation documents no body for the status. */
function responseValidator(template: string, method: string, status: number): ValidateFunction | null {
  const op = spec.paths[template]?.[method.toLowerCase()] as { responses: Record<string, Node> } | undefined;
  if (!op) throw new Error(`OpenAPI has no ${method} ${template}`);
  let response = op.responses[String(status)];
  if (!response) throw new Error(`OpenAPI has no ${status} for ${method} ${template}`);
  if (typeof response.$ref === 'string') {
    const name = response.$ref.split('/').pop()!;
    response = (spec.components.responses as Record<string, Node>)[name]!;
  }
  const schema = (response.content as Record<string, { schema: unknown }> | undefined)?.['application/json']
    ?.schema;
  return schema === undefined ? null : ajv.compile(toJsonSchema(schema) as Node);
}

/** One test per case: the status, then the body against the operation's response schema. */
export function validatesAgainstOpenApi(cases: SchemaCase[]): void {
  beforeAll(() => {
    spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: toJsonSchema(spec.components) } as Node, 'gh');
  });

  describe('responses validate against GitHub OpenAPI schemas', () => {
    for (const [method, template, status, send] of cases) {
      it(`${method} ${template} → ${status}`, async () => {
        const validate = responseValidator(template, method, status);
        const reply = await send();
        expect(reply.status).toBe(status);
        if (validate === null) {
          expect(reply.body).toBeUndefined();
          return;
        }
        const valid = validate(reply.body);
        expect(valid ? [] : validate.errors).toEqual([]);
      });
    }
  });
}
