import { describe, expect, it } from 'vitest';
import {
  MAX_COMMENT_CHARS,
  type MirrorState,
  parseStateComment,
  readStateBlock,
  renderStateComment,
} from './state-block.js';

const state: MirrorState = {
  owner: 'ws-alice/agent-1',
  status: 'working',
  attempt: 2,
  maxAttempts: 3,
  since: '2026-01-01T00:00:00Z',
  heartbeat: '2026-01-01T00:05:00Z',
  epoch: 7,
  outcome: null,
  logs: '/home/alice/.codex-monitor/artifacts/acme%2Fw%2312/7',
  nonce: 'n-1',
};
/** The original codex-monitor's comment: the block first, pretty-printed, `>` unescaped. */
const original = (fields: object) =>
  `<!-- codex-monitor-state\n${JSON.stringify(fields, null, 2)}\n-->\n**Codex Monitor Status**: working`;
const v1 = {
  ownerId: 'host-a',
  attemptToken: 't-1',
  attemptStarted: '2025-05-01T10:00:00Z',
  heartbeat: '2025-05-01T10:01:00Z',
  status: 'working',
  retryCount: 1,
};

describe('renderStateComment / parseStateComment', () => {
  it('renders a human summary and a versioned block that parses back', () => {
    const body = renderStateComment(state);
    expect(body).toContain('attempt 2 of 3');
    expect(body).toContain('`ws-alice/agent-1`');
    expect(body).toMatch(/<!-- codex-monitor-state \{"v":2,.*\} -->$/);
    expect(parseStateComment(body)).toEqual({
      version: 2,
      owner: 'ws-alice/agent-1',
      status: 'working',
      attempt: 2,
      maxAttempts: 3,
      since: '2026-01-01T00:00:00Z',
      heartbeat: '2026-01-01T00:05:00Z',
      epoch: 7,
      outcome: null,
      error: null,
      artifact: 'acme%2Fw%2312/7',
      nonce: 'n-1',
    });
  });

  it('shows a hand claim as such, and older readers still parse the block', () => {
    const held = {
      ...state,
      owner: 'ws3/alice',
      status: 'claimed' as const,
      hand: { until: '2026-01-01T14:20:00.000Z' },
    };
    const body = renderStateComment(held);
    expect(body).toContain('- Held by `ws3/alice`, by hand, until 14:20 UTC');
    expect(body).toContain('"hand":{"until":"2026-01-01T14:20:00.000Z"}');
    expect(parseStateComment(body)).toMatchObject({ owner: 'ws3/alice', status: 'claimed', epoch: 7 });
  });

  it('says who verified the work: a reviewing owner or a person, as data, and the block keeps it', () => {
    const done = {
      ...state,
      status: 'done' as const,
      outcome: 'complete',
      pr: 9,
      verifiedBy: 'human:al`ice',
    };
    const body = renderStateComment(done);
    expect(body).toContain('- Verified by `human:al ice`');
    expect(body).toContain('"verifiedBy":"human:al`ice"');
    expect(parseStateComment(body)).toMatchObject({ status: 'done', outcome: 'complete' });
  });

  it('publishes neither the local log path nor the error by default: only the artifact id', () => {
    const error =
      'agent: cannot open /home/alice/src/secret-project/.env (token ghp_abcdefghijklmnopqrstuvwxyz0123)';
    const body = renderStateComment({ ...state, status: 'released', outcome: 'failed', error });
    expect(body).not.toContain('/home/');
    expect(body).not.toContain('alice/src');
    expect(body).not.toContain('ghp_');
    expect(body).not.toContain('cannot open');
    expect(body).toContain('- Artifacts: `acme%2Fw%2312/7`');
    expect(parseStateComment(body)).toMatchObject({ error: null, artifact: 'acme%2Fw%2312/7' });
  });

  it('publishes a redacted, capped error summary only when opted in', () => {
    const error =
      'git push https://bob:hunter2@github.com/acme/w.git failed in /home/alice/work with GITHUB_TOKEN=s3cr3t ' +
      `and ghp_abcdefghijklmnopqrstuvwxyz0123 / Authorization: Bearer abc.def.ghi / C:\\Users\\alice\\x ${'e'.repeat(2_000)}`;
    const body = renderStateComment(
      { ...state, status: 'released', error },
      { publishErrors: true, home: '/home/alice' },
    );
    for (const secret of [
      'hunter2',
      'bob:',
      '/home/alice',
      's3cr3t',
      'ghp_',
      'abc.def.ghi',
      'Users\\alice',
    ]) {
      expect(body).not.toContain(secret);
    }
    const parsed = parseStateComment(body)!;
    expect(parsed.error).toMatch(/^git push https:\/\/\*\*\*@github\.com\/acme\/w\.git failed in ~\/work/);
    expect(parsed.error!.length).toBeLessThanOrEqual(500);
  });

  it('keeps hostile text inside bounds: no early -->, no mention, under the body limit', () => {
    const error = `boom --> @everyone \`x\` <!-- codex-monitor-state {"v":2} --> ${'e'.repeat(100_000)}`;
    const body = renderStateComment(
      { ...state, owner: `evil-->${'o'.repeat(500)}`, status: 'released', outcome: 'x-->', error },
      { publishErrors: true },
    );
    expect(body.length).toBeLessThan(MAX_COMMENT_CHARS);
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(body).toContain('`boom --› @everyone');
    // Inside the block `>` is always \u003e: nothing a value holds can close the comment.
    const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
    expect(json).not.toContain('>');
    const parsed = parseStateComment(body);
    expect(parsed?.error?.startsWith('boom --> @everyone `x`')).toBe(true);
    expect(parsed?.outcome).toBe('x-->');
  });

  it("reads the original codex-monitor's block for migration", () => {
    expect(parseStateComment(original(v1))).toMatchObject({
      version: 1,
      owner: 'host-a',
      attemptToken: 't-1',
      since: '2025-05-01T10:00:00Z',
      heartbeat: '2025-05-01T10:01:00Z',
      status: 'working',
      attempt: 2,
      retryCount: 1,
      nonce: null,
    });
  });

  it('reads a block whose JSON values contain -->, as the original writes them', () => {
    const tricky = { ...v1, ownerId: 'ws-->1/agent', attemptToken: '} --> {' };
    expect(parseStateComment(original(tricky))).toMatchObject({
      owner: 'ws-->1/agent',
      attemptToken: '} --> {',
    });
    const ours =
      '<!-- codex-monitor-state {"v":2,"owner":"a-->b","status":"working","attempt":1,"maxAttempts":3,' +
      '"since":"2026-01-01T00:00:00Z","heartbeat":null,"epoch":1,"outcome":"\\"-->","error":null,"nonce":"n"} -->';
    expect(parseStateComment(ours)).toMatchObject({ version: 2, owner: 'a-->b', outcome: '"-->' });
  });

  it.each([
    ['an original block with only ownerId and status', original({ ownerId: 'x', status: 'working' })],
    ['an original block without attemptToken', original({ ...v1, attemptToken: undefined })],
    ['an original block with an empty ownerId', original({ ...v1, ownerId: '' })],
    [
      'a v2 block with only owner and status',
      '<!-- codex-monitor-state {"v":2,"owner":"x","status":"working"} -->',
    ],
    [
      'a v2 block without its nonce key',
      '<!-- codex-monitor-state {"v":2,"owner":"x","status":"working","attempt":1,"maxAttempts":3,"since":"s",' +
        '"heartbeat":null,"epoch":1,"outcome":null,"error":null} -->',
    ],
  ])('rejects %s as malformed', (_name, body) => {
    expect(parseStateComment(body)).toBeNull();
    expect(readStateBlock(body).kind).toBe('malformed');
  });

  it.each([
    ['no block', 'just a comment'],
    ['a block inside a fenced code block', `look:\n\`\`\`\n${renderStateComment(state)}\n\`\`\`\n`],
    ['a block inside a tilde fence', `~~~html\n${original(v1)}\n~~~`],
    ['a quoted block', `> ${renderStateComment(state).split('\n').join('\n> ')}`],
    ['a block indented as code', `    ${original(v1).split('\n').join('\n    ')}`],
    ['a block in an inline code span', `see \`${renderStateComment(state).split('\n').at(-1)}\``],
    ['a foreign marker', '<!-- other-tool-state {"v":2} -->'],
  ])('finds no state in %s', (_name, body) => {
    expect(readStateBlock(body)).toEqual({ kind: 'none' });
  });

  it.each([
    ['malformed JSON', '<!-- codex-monitor-state {"v":2, -->'],
    ['a future version', '<!-- codex-monitor-state {"v":3,"owner":"x"} -->'],
    ['wrong field types', '<!-- codex-monitor-state {"v":2,"owner":1,"status":"x"} -->'],
    ['an unterminated block', '<!-- codex-monitor-state {"v":2}'],
    ['text between the JSON and -->', `${renderStateComment(state).slice(0, -4)} trailing -->`],
  ])('ignores %s', (_name, body) => {
    expect(parseStateComment(body)).toBeNull();
  });

  it('prefers our block over an original one in the same body', () => {
    const body = `${original({ ...v1, ownerId: 'old' })}\n${renderStateComment(state)}`;
    expect(parseStateComment(body)?.version).toBe(2);
  });
});
