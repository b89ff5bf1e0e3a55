/**
 * Every implemented operation's response validates against its schema in GitHub's OpenAPI
 * description (@octokit/openapi), looked up by path template + method + status.
 */
import { afterAll, beforeAll } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';
import { type SchemaCase, validatesAgainstOpenApi } from './openapi-schema.js';

let fake: FakeGitHub;
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
const newCommit = async (parent: string, message = `m${++refCounter}`) =>
  (await api('POST', `${REPO}/git/commits`, { message, tree: mainTree(), parents: [parent] })).body
    .sha as string;

const R = '/repos/{owner}/{repo}';
const cases: SchemaCase[] = [
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
  fake = await startFakeGitHub({
    tokens: [{ token: 'test-token' }, { token: 'read-only', contents: 'read', issues: 'read' }],
  });
});

afterAll(async () => {
  await fake.close();
});

validatesAgainstOpenApi(cases);
