import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { type AttemptLog, attemptsHere, chooseAttempt } from './attempt-logs.js';

const tempDir = useTempDirs();

const attempt = (epoch: number, n: number, ownerId = 'ws1/codex'): AttemptLog => ({
  taskId: 't',
  epoch,
  attempt: n,
  ownerId,
  outcome: 'complete',
  dir: `/a/t/${epoch}`,
  stdout: `/a/t/${epoch}/stdout.log`,
  stderr: `/a/t/${epoch}/stderr.log`,
  startedAt: null,
  endedAt: null,
});

describe('chooseAttempt', () => {
  const here = [attempt(1, 1), attempt(2, 2), attempt(4, 1)]; // a retry restarted the count at epoch 4

  it('takes the latest, an epoch, or the latest attempt with a number', () => {
    expect(chooseAttempt('t', here, {}, null, 'me').epoch).toBe(4);
    expect(chooseAttempt('t', here, { epoch: 2 }, null, 'me').epoch).toBe(2);
    expect(chooseAttempt('t', here, { attempt: 1 }, null, 'me').epoch).toBe(4);
  });

  it("keeps to this machine's attempts when the ledger's newer claim is one of their owners'", () => {
    // ws1's release moved the ledger's epoch past its claim's: still ws1's attempt, here.
    expect(chooseAttempt('t', here, {}, { ownerId: 'ws1/codex', epoch: 5 }, 'me').epoch).toBe(4);
  });

  it("names the other owner when the ledger's latest claim is newer than anything here", () => {
    const latest = { ownerId: 'ws2/codex', epoch: 6 };
    expect(() => chooseAttempt('t', here, {}, latest, 'me')).toThrow(
      expect.objectContaining({ code: 'ATTEMPT_LOG_ELSEWHERE', owner: 'ws2/codex' }),
    );
    // An attempt asked for by number that is here is shown, whoever ran later ones.
    expect(chooseAttempt('t', here, { attempt: 2 }, latest, 'me').epoch).toBe(2);
    expect(() => chooseAttempt('t', here, { attempt: 3 }, latest, 'me')).toThrow(/was run by ws2\/codex/);
  });

  it('says what is here when the attempt asked for is not', () => {
    expect(() => chooseAttempt('t', here, { epoch: 3 }, null, 'me')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID' }),
    );
    expect(() => chooseAttempt('t', here, { epoch: 3 }, null, 'me')).toThrow(
      'No attempt with epoch 3 of t on this machine. Here: epoch 1 (attempt 1), epoch 2 (attempt 2), epoch 4 (attempt 1).',
    );
  });
});

describe('attemptsHere', () => {
  it('reads every epoch directory, result.json where written, the running claim from the row', () => {
    const root = tempDir();
    const done = join(root, 'a%2Fb', '3');
    mkdirSync(done, { recursive: true });
    writeFileSync(
      join(done, 'result.json'),
      JSON.stringify({ attempt: 1, ownerId: 'ws1', outcome: 'failed' }),
    );
    mkdirSync(join(root, 'a%2Fb', '10'));
    mkdirSync(join(root, 'a%2Fb', 'not-an-epoch'));
    const row = { epoch: 10, attempt: 2, ownerId: 'ws1', state: 'claimed' } as Parameters<
      typeof attemptsHere
    >[2];
    const found = attemptsHere(root, 'a/b', row);
    expect(found.map((a) => [a.epoch, a.attempt, a.ownerId, a.outcome])).toEqual([
      [3, 1, 'ws1', 'failed'],
      [10, 2, 'ws1', 'running'],
    ]);
    expect(attemptsHere(root, 'unknown', undefined)).toEqual([]);
  });
});
