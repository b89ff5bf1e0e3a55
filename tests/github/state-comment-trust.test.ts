/**
 * Whose comments are state comments (issue 9, item 7), against the GitHub fake over real HTTP:
 * a stranger's block — plain, 65,536 characters long, or in a code block — is never taken as
 * the state comment; a fleet on several people's tokens, or a configured bot login, shares one.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommentTrust,
  parseStateComment,
  renderStateComment,
} from '../../src/boards/github/mirror/index.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { capturedLogger, commentStore, mirrorState as state } from './state-comment-support.js';

let fake: FakeGitHub;
const { logger, sink: logs } = capturedLogger();
const REPO = 'acme/trust';
const BOT = 'codex-bot[bot]';

const evil = renderStateComment(state({ owner: 'mallory/evil', epoch: 99, nonce: 'evil' }));
const hostile = {
  plain: evil,
  long: `${'x'.repeat(65_536 - evil.length - 1)}\n${evil}`,
  fenced: `I found this:\n\`\`\`\n${evil}\n\`\`\``,
};

beforeAll(async () => {
  fake = await startFakeGitHub({
    tokens: [
      { token: 'test-token' },
      { token: 'alice-token', login: 'alice', association: 'MEMBER' },
      { token: 'bob-token', login: 'bob', association: 'COLLABORATOR' },
      { token: 'mallory-token', login: 'mallory', association: 'NONE' },
      { token: 'bot-token', login: BOT, association: 'NONE' },
    ],
    seed: {
      repos: [
        {
          owner: 'acme',
          name: 'trust',
          issues: [1, 2, 3].map((number) => ({
            number,
            title: `issue ${number}`,
            authorAssociation: 'OWNER',
          })),
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

function store(token: string, trust?: CommentTrust) {
  return commentStore(fake, REPO, {
    token,
    logger,
    cache: new MemoryKeyValueStore(),
    ...(trust ? { trust } : {}),
  });
}
/** A stranger posts the three shapes of hostile comment, over HTTP with their own token. */
async function strangerPosts(issue: number): Promise<number[]> {
  const mallory = new Octokit({ baseUrl: fake.url, auth: 'mallory-token' });
  const ids: number[] = [];
  for (const body of Object.values(hostile)) {
    const { data } = await mallory.rest.issues.createComment({
      owner: 'acme',
      repo: 'trust',
      issue_number: issue,
      body,
    });
    expect(data).toMatchObject({ author_association: 'NONE', user: { login: 'mallory' } });
    ids.push(data.id);
  }
  expect(hostile.long).toHaveLength(65_536);
  // What the daemon judges by: each listed comment carries its author's login and association.
  const { data: listed } = await mallory.rest.issues.listComments({
    owner: 'acme',
    repo: 'trust',
    issue_number: issue,
  });
  expect(listed.filter((c) => ids.includes(c.id)).map((c) => [c.user?.login, c.author_association])).toEqual(
    ids.map(() => ['mallory', 'NONE']),
  );
  return ids;
}
const comment = (issue: number, id: number) => fake.state.comments(REPO, issue).find((c) => c.id === id)!;

describe("a stranger's state block (issue 9, item 7)", () => {
  it('is ignored with one warning per comment: the daemon writes its own comment, never theirs', async () => {
    const ids = await strangerPosts(1);
    logs.text = '';
    const s = store('test-token');
    expect(await s.find(1)).toBeNull();
    const result = await s.upsert(1, state(), { stillHolds: async () => true });
    expect(ids).not.toContain(result.id);
    const mine = comment(1, result.id!);
    expect(mine).toMatchObject({ user: 'test-user', authorAssociation: 'MEMBER' });
    expect(parseStateComment(mine.body)?.owner).toBe('ws-a/agent-1');
    expect((await s.find(1))?.id).toBe(result.id);
    await s.find(1);
    // Untouched: the same bodies, none deleted.
    expect(ids.map((id) => comment(1, id).body)).toEqual(Object.values(hostile));
    // The plain and the long one carry a readable block and are reported once each; the fenced
    // one holds no hidden block at all (a code block renders its text).
    expect(logs.text.match(/untrusted author \(mallory, NONE\)/g)).toHaveLength(2);
  });

  it('is ignored beside the fleet comment, which a peer on another token edits in place', async () => {
    const alice = store('alice-token');
    const created = await alice.upsert(2, state({ owner: 'ws-alice/a' }), { stillHolds: async () => true });
    const ids = await strangerPosts(2);
    // Bob's workstation takes the issue over with his own token: the same comment, edited.
    const bob = store('bob-token');
    expect((await bob.find(2))?.id).toBe(created.id);
    const result = await bob.upsert(2, state({ owner: 'ws-bob/b', epoch: 2 }), {
      stillHolds: async () => true,
    });
    expect(result).toEqual({ written: true, id: created.id });
    expect(parseStateComment(comment(2, created.id!).body)).toMatchObject({ owner: 'ws-bob/b', epoch: 2 });
    expect(fake.state.comments(REPO, 2).map((c) => c.id)).toEqual([created.id, ...ids]);
    expect(ids.map((id) => comment(2, id).body)).toEqual(Object.values(hostile));
  });

  it('counts a configured bot login whatever its association', async () => {
    const trust = { associations: ['OWNER', 'MEMBER', 'COLLABORATOR'], logins: [BOT] };
    const bot = await store('bot-token', trust).upsert(3, state(), { stillHolds: async () => true });
    expect(comment(3, bot.id!)).toMatchObject({ user: BOT, authorAssociation: 'NONE' });
    // A peer configured alike edits the bot's comment; one without the login ignores it.
    expect((await store('test-token', trust).find(3))?.id).toBe(bot.id);
    logs.text = '';
    expect(await store('test-token').find(3)).toBeNull();
    expect(logs.text).toContain('CODEX_MONITOR_STATE_COMMENT_LOGINS');
  });
});
