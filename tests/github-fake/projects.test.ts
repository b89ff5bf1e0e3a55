/** The fake's GraphQL for Projects v2: GitHub's answers and error shapes, over raw HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DOCUMENTS } from '../../src/boards/github/project/index.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call } from './helpers.js';

let fake: FakeGitHub;
const gql = (query: string, variables: Record<string, unknown> = {}) =>
  call(fake.url, 'POST', '/graphql', { body: { query, variables } });

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [{ owner: 'acme', name: 'widgets', issues: [{ number: 1, title: 'one' }] }],
      projects: [
        { owner: 'acme', number: 1, title: 'Roadmap' },
        { owner: 'acme', number: 2, items: [{ repo: 'acme/widgets', issue: 1 }] },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

async function project() {
  const reply = await gql(PROJECT_DOCUMENTS.PROJECT_FIELD_QUERY, {
    login: 'acme',
    number: 1,
    field: 'Status',
  });
  return reply.body.data.repositoryOwner.projectV2;
}

describe('the fake GitHub: Projects v2 over GraphQL', () => {
  it('answers the project, its single-select field and options', async () => {
    const p = await project();
    expect(p.title).toBe('Roadmap');
    expect(p.field.__typename).toBe('ProjectV2SingleSelectField');
    expect(p.field.options.map((o: { name: string }) => o.name)).toContain('In progress');
    expect(p.field.options[0].id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses a document that does not validate against GitHub’s schema: 200, errors, no data', async () => {
    const reply = await gql(
      'query { repository(owner: "acme", name: "widgets") { isssue(number: 1) { id } } }',
    );
    expect(reply.status).toBe(200);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors[0].message).toMatch(/isssue/);
    expect(reply.body.errors[0].locations).toBeDefined();
    const unparsable = await gql('query {');
    expect(unparsable.body.errors[0].message).toMatch(/Syntax Error/);
  });

  it('answers NOT_FOUND with the path, beside the data it could resolve', async () => {
    const reply = await gql(PROJECT_DOCUMENTS.PROJECT_FIELD_QUERY, {
      login: 'acme',
      number: 7,
      field: 'Status',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual({ repositoryOwner: { projectV2: null } });
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        path: ['repositoryOwner', 'projectV2'],
        message: 'Could not resolve to a ProjectV2 with the number 7.',
      }),
    ]);
  });

  it('adds an issue once: adding it again returns the same card', async () => {
    const p = await project();
    const issue = await gql(PROJECT_DOCUMENTS.ISSUE_ITEMS_QUERY, {
      owner: 'acme',
      repo: 'widgets',
      number: 1,
      field: 'Status',
    });
    const content = issue.body.data.repository.issue.id;
    const first = await gql(PROJECT_DOCUMENTS.ADD_ITEM_MUTATION, { project: p.id, content });
    const again = await gql(PROJECT_DOCUMENTS.ADD_ITEM_MUTATION, { project: p.id, content });
    expect(again.body.data.addProjectV2ItemById.item.id).toBe(first.body.data.addProjectV2ItemById.item.id);
    const bad = await gql(PROJECT_DOCUMENTS.SET_STATUS_MUTATION, {
      project: p.id,
      item: first.body.data.addProjectV2ItemById.item.id,
      field: p.field.id,
      option: 'nope',
    });
    expect(bad.body.errors[0].message).toMatch(/does not belong to the field/);
    // Item ids are global: another project's card is a validation error, an unknown id NOT_FOUND.
    const other = await gql(PROJECT_DOCUMENTS.ADD_ITEM_MUTATION, {
      project: (
        await gql(PROJECT_DOCUMENTS.PROJECT_FIELD_QUERY, { login: 'acme', number: 2, field: 'Status' })
      ).body.data.repositoryOwner.projectV2.id,
      content,
    });
    const foreign = await gql(PROJECT_DOCUMENTS.SET_STATUS_MUTATION, {
      project: p.id,
      item: other.body.data.addProjectV2ItemById.item.id,
      field: p.field.id,
      option: p.field.options[0].id,
    });
    expect(foreign.body.errors[0]).toMatchObject({
      type: 'VALIDATION',
      message: 'The item does not exist in the project',
    });
    const unknown = await gql(PROJECT_DOCUMENTS.SET_STATUS_MUTATION, {
      project: p.id,
      item: 'PVTI_nope',
      field: p.field.id,
      option: p.field.options[0].id,
    });
    expect(unknown.body.errors[0]).toMatchObject({
      type: 'NOT_FOUND',
      path: ['updateProjectV2ItemFieldValue'],
    });
  });

  it('refuses a page over 100 records, as GitHub does', async () => {
    const p = await project();
    const query = PROJECT_DOCUMENTS.PROJECT_ITEMS_QUERY.replace('first: 100', 'first: 101');
    const reply = await gql(query, { project: p.id, field: 'Status' });
    expect(reply.body.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' });
  });
});
