import { describe, expect, it } from 'vitest';
import {
  MAX_COMMENT_CHARS,
  type MirrorState,
  parseStateComment,
  renderStateComment,
} from './state-comment.js';

const state: MirrorState = {
  owner: 'ws-alice/agent-1',
  status: 'working',
  attempt: 2,
  maxAttempts: 3,
  since: '2026-01-01T00:00:00Z',
  heartbeat: '2026-01-01T00:05:00Z',
  epoch: 7,
  outcome: null,
  logs: '/home/alice/.codex-monitor/artifacts/12/2/',
  nonce: 'n-1',
};

describe('renderStateComment / parseStateComment', () => {
  it('renders a human summary and a versioned block that parses back', () => {
    const body = renderStateComment(state);
    expect(body).toContain('attempt 2 of 3');
    expect(body).toContain('`ws-alice/agent-1`');
    expect(body).toContain('/home/alice/.codex-monitor/artifacts/12/2/');
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
      logs: '/home/alice/.codex-monitor/artifacts/12/2/',
      nonce: 'n-1',
    });
  });

  it('keeps hostile or huge text inside bounds: no early -->, no mention, under the body limit', () => {
    const error = `boom --> @everyone \`x\` <!-- codex-monitor-state {"v":2} --> ${'e'.repeat(100_000)}`;
    const body = renderStateComment({ ...state, status: 'failed', outcome: 'failed', error });
    expect(body.length).toBeLessThan(MAX_COMMENT_CHARS);
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(body).toContain('`boom --› @everyone');
    const parsed = parseStateComment(body);
    expect(parsed?.error?.startsWith('boom --> @everyone `x`')).toBe(true);
    expect(parsed?.status).toBe('failed');
  });

  it("reads the original codex-monitor's block for migration", () => {
    const body =
      '<!-- codex-monitor-state\n{ "ownerId": "host-a", "attemptToken": "t-1", "attemptStarted": "2025-05-01T10:00:00Z",' +
      ' "heartbeat": "2025-05-01T10:01:00Z", "status": "working", "retryCount": 1 }\n-->\n🤖 working on it';
    expect(parseStateComment(body)).toMatchObject({
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

  it.each([
    ['no block', 'just a comment'],
    ['malformed JSON', '<!-- codex-monitor-state {"v":2, -->'],
    ['a future version', '<!-- codex-monitor-state {"v":3,"owner":"x"} -->'],
    ['wrong field types', '<!-- codex-monitor-state {"v":2,"owner":1,"status":"x"} -->'],
    ['a foreign marker', '<!-- other-tool-state {"v":2} -->'],
    ['an unterminated block', '<!-- codex-monitor-state {"v":2}'],
  ])('ignores %s', (_name, body) => {
    expect(parseStateComment(body)).toBeNull();
  });

  it('prefers our block over a quoted original one', () => {
    const body = `> <!-- codex-monitor-state {"ownerId":"old","status":"claimed"} -->\n${renderStateComment(state)}`;
    expect(parseStateComment(body)?.version).toBe(2);
  });
});
