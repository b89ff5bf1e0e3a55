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
  // Error bodies.
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
    tokens: [{ token: 'test-token' }, { token: 'pr-read', pullRequests: 'read' }],
  }));
});
afterAll(() => stop());

validatesAgainstOpenApi(cases);
