import { describe, expect, it } from 'vitest';
import {
  encodeOwnerMessage,
  encodeTaskMessage,
  type OwnerRecord,
  parseOwnerRecord,
  parseTaskRecord,
  type TaskRecord,
} from './ledger-record.js';

const claim: TaskRecord = {
  v: 1,
  kind: 'claim',
  issue: 12,
  owner: 'ws1/codex',
  attempt: '0b7c3f0e-5a0b-4d47-9a57-2b1f4b3c8d11',
  epoch: 3,
  retries: 1,
  at: '2026-01-01T00:00:00.000Z',
};

describe('task records', () => {
  it('encode a human line, a blank line and the JSON, and parse back to the same record', () => {
    const message = encodeTaskMessage(claim);
    expect(message.split('\n')[0]).toBe('codex-monitor: claim #12 by ws1/codex (epoch 3)');
    expect(message.split('\n')[1]).toBe('');
    expect(parseTaskRecord(message)).toEqual(claim);
    const release: TaskRecord = { ...claim, kind: 'release', outcome: 'failed', backoffMs: 5000, epoch: 4 };
    expect(encodeTaskMessage(release).split('\n')[0]).toBe(
      'codex-monitor: release #12 failed by ws1/codex (epoch 4)',
    );
    expect(parseTaskRecord(encodeTaskMessage(release))).toEqual(release);
  });

  it('accept a bare JSON message, unknown fields and a higher version', () => {
    const json = JSON.stringify({ ...claim, v: 7, future: { x: 1 } });
    expect(parseTaskRecord(json)).toMatchObject({ kind: 'claim', epoch: 3, v: 7 });
    const noRetries = JSON.stringify({ kind: 'reset', owner: 'alice', epoch: 9 });
    expect(parseTaskRecord(noRetries)).toMatchObject({ kind: 'reset', retries: 0, attempt: '', v: 1 });
  });

  it.each([
    ['plain text', 'Initial commit'],
    ['malformed JSON', 'codex-monitor: claim\n\n{"kind":"claim",'],
    ['a JSON array', '[1,2]'],
    ['an unknown kind', JSON.stringify({ ...claim, kind: 'steal' })],
    ['no owner', JSON.stringify({ ...claim, owner: '' })],
    ['no epoch', JSON.stringify({ kind: 'claim' })],
    ['a fractional epoch', JSON.stringify({ ...claim, epoch: 1.5 })],
    ['a claim without attempt', JSON.stringify({ ...claim, attempt: '' })],
    ['negative retries', JSON.stringify({ ...claim, retries: -1 })],
    ['a release without outcome', JSON.stringify({ ...claim, kind: 'release' })],
    [
      'a release with a bad backoff',
      JSON.stringify({ ...claim, kind: 'release', outcome: 'failed', backoffMs: 'x' }),
    ],
    ['a version that is not a number', JSON.stringify({ ...claim, v: 'one' })],
  ])('parse %s as an unknown record (null), never throwing', (_name, message) => {
    expect(parseTaskRecord(message)).toBeNull();
  });
});

describe('owner records', () => {
  const beat: OwnerRecord = {
    v: 1,
    kind: 'heartbeat',
    owner: 'ws1/codex',
    instance: 'i-1',
    seq: 4,
    running: [12, 14],
    at: '2026-01-01T00:00:00.000Z',
  };

  it('round-trip and name the running issues in the human line', () => {
    const message = encodeOwnerMessage(beat);
    expect(message.split('\n')[0]).toBe('codex-monitor: heartbeat ws1/codex seq 4 (#12, #14)');
    expect(parseOwnerRecord(message)).toEqual(beat);
  });

  it('reject foreign or malformed messages and task records', () => {
    expect(parseOwnerRecord('hello')).toBeNull();
    expect(parseOwnerRecord(encodeTaskMessage(claim))).toBeNull();
    expect(parseOwnerRecord(JSON.stringify({ ...beat, seq: 0 }))).toBeNull();
    expect(parseOwnerRecord(JSON.stringify({ ...beat, instance: 3 }))).toBeNull();
  });
});

describe('delivery fields', () => {
  const withFields = (fields: Record<string, unknown>) =>
    parseTaskRecord(encodeTaskMessage({ ...claim, ...fields } as TaskRecord));

  it('parse a delivery fence with its branch, and a release with its pull request', () => {
    expect(withFields({ phase: 'deliver', branch: 'codex/12-fix-it' })).toMatchObject({
      phase: 'deliver',
      branch: 'codex/12-fix-it',
    });
    expect(
      withFields({ kind: 'release', outcome: 'complete', branch: 'codex/12-fix-it', pr: 40 }),
    ).toMatchObject({
      branch: 'codex/12-fix-it',
      pr: 40,
    });
  });

  it('drop a branch no daemon could push to and a pull request that is no number: the rest stands', () => {
    for (const branch of ['../main', '-f', 'a..b', 'x.lock', 'a b', '.hidden', 'a/', 'x'.repeat(201), 7]) {
      const parsed = withFields({ branch, pr: 'nine' });
      expect(parsed).not.toHaveProperty('branch');
      expect(parsed).not.toHaveProperty('pr');
      expect(parsed).toMatchObject({ kind: 'claim', epoch: 3 });
    }
    expect(withFields({ kind: 'release', outcome: 'complete', phase: 'deliver' })).not.toHaveProperty(
      'phase',
    );
  });

  it('parse a hand claim’s lease; an old-style claim has none, and a lease without a number is dropped', () => {
    const hand = { ...claim, owner: 'ws3/alice', hand: true as const, leaseMs: 7_200_000 };
    const message = encodeTaskMessage(hand);
    expect(message.split('\n')[0]).toBe('codex-monitor: claim #12 by ws3/alice by hand (epoch 3)');
    expect(parseTaskRecord(message)).toEqual(hand);
    const bad = parseTaskRecord(JSON.stringify({ ...hand, leaseMs: 'soon' }));
    expect(bad).not.toHaveProperty('hand');
    expect(bad).toMatchObject({ kind: 'claim', owner: 'ws3/alice' });
  });
});
