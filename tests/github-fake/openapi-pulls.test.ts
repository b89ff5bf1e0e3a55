/** The pull request operations' answers against GitHub's OpenAPI schemas (see openapi-schema.ts). */
import { afterAll, beforeAll } from 'vitest';
import { type FakeGitHub, pushBranch } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';
import { type SchemaCase, validatesAgainstOpenApi } from './openapi-schema.js';
import { startFakeWithGit } from './pull-setup.js';

let fake: FakeGitHub;
let stop: () => Promise<void>;
const api = (method: string, path: string, body?: unknown, token?: string) =>
  call(fake.url, method, path, { body, token });

let counter = 0;
/** A pushed branch with one commit and its open pull request's number. */
const newPull = async (body?: string) => {
  const branch = `schema/p${++counter}`;
  pushBranch(fake.gitRemote('acme', 'widgets'), branch, { [`p${counter}.txt`]: 'x\n' });
  const reply = await api('POST', `${REPO}/pulls`, {
    title: 'p',
    head: `acme:${branch}`,
    base: 'main',
    body,
  });
  return reply.body.number as number;
};

/** A pull request approved by `rev`: the path of its reviews. */
const reviewed = async () => {
  const path = `${REPO}/pulls/${await newPull()}/reviews`;
  await api('POST', path, { event: 'APPROVE' }, 'rev');
  return path;
};

const R = '/repos/{owner}/{repo}';
const cases: SchemaCase[] = [
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
  // Reviews (the second token, `rev`, is another user than the pull requests' author).
  ['GET', `${R}/pulls/{pull_number}/reviews`, 200, async () => api('GET', await reviewed())],
  [
    'POST',
    `${R}/pulls/{pull_number}/reviews`,
    200,
    async () =>
      api('POST', `${REPO}/pulls/${await newPull()}/reviews`, { event: 'COMMENT', body: 'c' }, 'rev'),
  ],
  [
    'GET',
    `${R}/pulls/{pull_number}/reviews/{review_id}`,
    200,
    async () => {
      const path = await reviewed();
      return api('GET', `${path}/${(await api('GET', path)).body[0].id}`);
    },
  ],
  [
    'PUT',
    `${R}/pulls/{pull_number}/reviews/{review_id}/dismissals`,
    200,
    async () => {
      const path = await reviewed();
      return api('PUT', `${path}/${(await api('GET', path)).body[0].id}/dismissals`, { message: 'm' });
    },
  ],
  // Error bodies.
  [
    'POST',
    `${R}/pulls/{pull_number}/reviews`,
    422,
    async () => api('POST', `${REPO}/pulls/${await newPull()}/reviews`, { event: 'APPROVE' }),
  ],
  [
    'PUT',
    `${R}/pulls/{pull_number}/reviews/{review_id}/dismissals`,
    422,
    async () => {
      const n = await newPull();
      const review = await api('POST', `${REPO}/pulls/${n}/reviews`, { event: 'COMMENT', body: 'c' }, 'rev');
      return api('PUT', `${REPO}/pulls/${n}/reviews/${review.body.id}/dismissals`, { message: 'm' });
    },
  ],
  [
    'POST',
    `${R}/pulls`,
    422,
    () => api('POST', `${REPO}/pulls`, { title: 't', head: 'acme:nope', base: 'main' }),
  ],
  [
    'POST',
    `${R}/pulls`,
    403,
    () => api('POST', `${REPO}/pulls`, { title: 't', head: 'x', base: 'main' }, 'pr-read'),
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
];

beforeAll(async () => {
  ({ fake, stop } = await startFakeWithGit({
    tokens: [
      { token: 'test-token' },
      { token: 'pr-read', pullRequests: 'read' },
      { token: 'rev', login: 'reviewer-bot' },
    ],
  }));
});
afterAll(() => stop());

validatesAgainstOpenApi(cases);
