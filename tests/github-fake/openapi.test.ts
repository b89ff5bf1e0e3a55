/**
 * Every implemented operation's response validates against its schema in GitHub's OpenAPI
 * description (@octokit/openapi), looked up by path template + method + status.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, pushBranch, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO, type Reply } from './helpers.js';

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

let fake: FakeGitHub;
let gitRoot: string;
const api = (method: string, path: string, body?: unknown, token?: string) =>
  call(fake.url, method, path, { body, token });

/** Fresh objects for cases that need them. */
const newIssue = async () =>
  (await api('POST', `${REPO}/issues`, { title: 'schema', labels: ['a'] })).body.number;
const newComment = async () =>
  (await api('POST', `${REPO}/issues/${await newIssue()}/comments`, { body: 'c' })).body.id;
const mainSha = () => fake.state.ref('acme/widgets', 'heads/main')!;
const mainTree = () => fake.state.commit('acme/widgets', mainSha())!.tree;
let refCounter = 0;
const newRef = async () => {
  const name = `refs/schema/r${++refCounter}`;
  await api('POST', `${REPO}/git/refs`, { ref: name, sha: mainSha() });
  return name.slice('refs/'.length);
};
/** A pushed branch with one commit and its open pull request's number. */
const newPull = async (body?: string) => {
  const branch = `schema/p${++refCounter}`;
  pushBranch(fake.gitRemote('acme', 'widgets'), branch, { [`p${refCounter}.txt`]: 'x\n' });
  const reply = await api('POST', `${REPO}/pulls`, {
    title: 'p',
    head: `acme:${branch}`,
    base: 'main',
    body,
  });
  return reply.body.number as number;
};
const newCommit = async (parent: string, message = `m${++refCounter}`) =>
  (await api('POST', `${REPO}/git/commits`, { message, tree: mainTree(), parents: [parent] })).body
    .sha as string;

const R = '/repos/{owner}/{repo}';
const cases: Array<[string, string, number, () => Promise<Reply>]> = [
  ['GET', R, 200, () => api('GET', REPO)],
  [
    'GET',
    `${R}/issues`,
    200,
    async () => {
      await newIssue();
      return api('GET', `${REPO}/issues?state=all`);
    },
  ],
  ['POST', `${R}/issues`, 201, () => api('POST', `${REPO}/issues`, { title: 't', body: 'b', labels: ['x'] })],
  ['GET', `${R}/issues/{issue_number}`, 200, async () => api('GET', `${REPO}/issues/${await newIssue()}`)],
  [
    'PATCH',
    `${R}/issues/{issue_number}`,
    200,
    async () =>
      api('PATCH', `${REPO}/issues/${await newIssue()}`, { state: 'closed', state_reason: 'not_planned' }),
  ],
  ['GET', `${R}/labels`, 200, () => api('GET', `${REPO}/labels`)],
  [
    'POST',
    `${R}/labels`,
    201,
    () => api('POST', `${REPO}/labels`, { name: 'codex:claimed', color: 'aabbcc' }),
  ],
  ['GET', `${R}/labels/{name}`, 200, () => api('GET', `${REPO}/labels/bug`)],
  ['PATCH', `${R}/labels/{name}`, 200, () => api('PATCH', `${REPO}/labels/question`, { description: 'd' })],
  ['DELETE', `${R}/labels/{name}`, 204, () => api('DELETE', `${REPO}/labels/wontfix`)],
  [
    'GET',
    `${R}/issues/{issue_number}/labels`,
    200,
    async () => api('GET', `${REPO}/issues/${await newIssue()}/labels`),
  ],
  [
    'POST',
    `${R}/issues/{issue_number}/labels`,
    200,
    async () => api('POST', `${REPO}/issues/${await newIssue()}/labels`, { labels: ['b'] }),
  ],
  [
    'PUT',
    `${R}/issues/{issue_number}/labels`,
    200,
    async () => api('PUT', `${REPO}/issues/${await newIssue()}/labels`, { labels: ['c'] }),
  ],
  [
    'DELETE',
    `${R}/issues/{issue_number}/labels`,
    204,
    async () => api('DELETE', `${REPO}/issues/${await newIssue()}/labels`),
  ],
  [
    'DELETE',
    `${R}/issues/{issue_number}/labels/{name}`,
    200,
    async () => api('DELETE', `${REPO}/issues/${await newIssue()}/labels/a`),
  ],
  [
    'GET',
    `${R}/issues/{issue_number}/comments`,
    200,
    async () => {
      const n = await newIssue();
      await api('POST', `${REPO}/issues/${n}/comments`, { body: 'x' });
      return api('GET', `${REPO}/issues/${n}/comments`);
    },
  ],
  [
    'POST',
    `${R}/issues/{issue_number}/comments`,
    201,
    async () => api('POST', `${REPO}/issues/${await newIssue()}/comments`, { body: 'hello' }),
  ],
  [
    'GET',
    `${R}/issues/comments`,
    200,
    async () => {
      await newComment();
      return api('GET', `${REPO}/issues/comments`);
    },
  ],
  [
    'GET',
    `${R}/issues/comments/{comment_id}`,
    200,
    async () => api('GET', `${REPO}/issues/comments/${await newComment()}`),
  ],
  [
    'PATCH',
    `${R}/issues/comments/{comment_id}`,
    200,
    async () => api('PATCH', `${REPO}/issues/comments/${await newComment()}`, { body: 'edited' }),
  ],
  [
    'DELETE',
    `${R}/issues/comments/{comment_id}`,
    204,
    async () => api('DELETE', `${REPO}/issues/comments/${await newComment()}`),
  ],
  ['GET', `${R}/git/ref/{ref}`, 200, () => api('GET', `${REPO}/git/ref/heads/main`)],
  [
    'GET',
    `${R}/git/matching-refs/{ref}`,
    200,
    async () => {
      await newRef();
      return api('GET', `${REPO}/git/matching-refs/schema/`);
    },
  ],
  [
    'POST',
    `${R}/git/refs`,
    201,
    () => api('POST', `${REPO}/git/refs`, { ref: 'refs/schema/created', sha: mainSha() }),
  ],
  [
    'PATCH',
    `${R}/git/refs/{ref}`,
    200,
    async () => api('PATCH', `${REPO}/git/refs/${await newRef()}`, { sha: await newCommit(mainSha()) }),
  ],
  ['DELETE', `${R}/git/refs/{ref}`, 204, async () => api('DELETE', `${REPO}/git/refs/${await newRef()}`)],
  [
    'POST',
    `${R}/git/commits`,
    201,
    () => api('POST', `${REPO}/git/commits`, { message: 'c', tree: mainTree(), parents: [mainSha()] }),
  ],
  ['GET', `${R}/git/commits/{commit_sha}`, 200, () => api('GET', `${REPO}/git/commits/${mainSha()}`)],
  ['GET', `${R}/git/trees/{tree_sha}`, 200, () => api('GET', `${REPO}/git/trees/${mainTree()}`)],
  ['GET', '/rate_limit', 200, () => api('GET', '/rate_limit')],
  [
    'GET',
    `${R}/pulls`,
    200,
    async () => {
      await newPull();
      return api('GET', `${REPO}/pulls?state=all`);
    },
  ],
  [
    'POST',
    `${R}/pulls`,
    201,
    async () => {
      pushBranch(fake.gitRemote('acme', 'widgets'), 'schema/created', { 'created.txt': 'c' });
      return api('POST', `${REPO}/pulls`, { title: 't', head: 'schema/created', base: 'main', draft: true });
    },
  ],
  [
    'GET',
    `${R}/pulls/{pull_number}`,
    200,
    async () => api('GET', `${REPO}/pulls/${await newPull('Fixes #1')}`),
  ],
  [
    'PATCH',
    `${R}/pulls/{pull_number}`,
    200,
    async () => api('PATCH', `${REPO}/pulls/${await newPull()}`, { title: 't2', state: 'closed' }),
  ],
  [
    'PUT',
    `${R}/pulls/{pull_number}/merge`,
    200,
    async () => api('PUT', `${REPO}/pulls/${await newPull()}/merge`),
  ],
  // Error bodies.
  ['GET', `${R}/issues/{issue_number}`, 404, () => api('GET', `${REPO}/issues/9999`)],
  ['POST', `${R}/issues`, 403, () => api('POST', `${REPO}/issues`, { title: 't' }, 'read-only')],
  ['POST', `${R}/labels`, 422, () => api('POST', `${REPO}/labels`, { name: 'bug' })],
  [
    'POST',
    `${R}/issues/{issue_number}/comments`,
    422,
    async () => api('POST', `${REPO}/issues/${await newIssue()}/comments`, { body: 'x'.repeat(65_537) }),
  ],
  ['GET', `${R}/git/ref/{ref}`, 404, () => api('GET', `${REPO}/git/ref/heads/nope`)],
  [
    'POST',
    `${R}/pulls`,
    422,
    async () => api('POST', `${REPO}/pulls`, { title: 't', head: 'acme:nope', base: 'main' }),
  ],
  [
    'POST',
    `${R}/pulls`,
    403,
    () => api('POST', `${REPO}/pulls`, { title: 't', head: 'x', base: 'main' }, 'read-only'),
  ],
  [
    'PUT',
    `${R}/pulls/{pull_number}/merge`,
    405,
    async () => {
      const n = await newPull();
      await api('PATCH', `${REPO}/pulls/${n}`, { state: 'closed' });
      return api('PUT', `${REPO}/pulls/${n}/merge`);
    },
  ],
  [
    'POST',
    `${R}/git/refs`,
    422,
    () => api('POST', `${REPO}/git/refs`, { ref: 'refs/heads/main', sha: mainSha() }),
  ],
  [
    'PATCH',
    `${R}/git/refs/{ref}`,
    422,
    async () => {
      // Moving the ref back to an ancestor is not a fast-forward.
      const ref = await newRef();
      await api('PATCH', `${REPO}/git/refs/${ref}`, { sha: await newCommit(mainSha()) });
      return api('PATCH', `${REPO}/git/refs/${ref}`, { sha: mainSha() });
    },
  ],
  [
    'POST',
    `${R}/git/commits`,
    422,
    () => api('POST', `${REPO}/git/commits`, { message: 'm', tree: 'f'.repeat(40) }),
  ],
];

beforeAll(async () => {
  spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: toJsonSchema(spec.components) } as Node, 'gh');
  gitRoot = mkdtempSync(join(tmpdir(), 'codex-monitor-openapi-'));
  fake = await startFakeGitHub({
    gitRoot,
    tokens: [
      { token: 'test-token' },
      { token: 'read-only', contents: 'read', issues: 'read', pullRequests: 'read' },
    ],
  });
});

afterAll(async () => {
  await fake.close();
  rmSync(gitRoot, { recursive: true, force: true });
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
