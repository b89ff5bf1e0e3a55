import { describe, expect, it } from 'vitest';
import { decide, type Judge, type TipFacts } from './ledger-policy.js';
import type { TaskRecord } from './ledger-record.js';

const T = 1000;

function rec(fields: Partial<TaskRecord>): TaskRecord {
  return { v: 1, kind: 'claim', issue: 1, owner: 'a', attempt: 'x', epoch: 1, retries: 0, at: '', ...fields };
}

function tip(record: TaskRecord | null, over: Partial<TipFacts> = {}): TipFacts {
  return { record, retries: record?.retries ?? 0, seenForMs: 0, unchangedForMs: 0, ...over };
}

function judge(over: Partial<Judge> = {}, owners: Record<string, number> = {}): Judge {
  return {
    staleThresholdMs: T,
    maxRetries: 3,
    ownerUnchangedForMs: (o) => owners[o] ?? null,
    claimer: { ownerId: 'me', knowsAttempt: () => false, ownerVerified: false },
    ...over,
  };
}

describe('decide', () => {
  it('creates an absent chain and claims released, abandoned and reset tips', () => {
    expect(decide(null, judge())).toMatchObject({ action: 'claim', retries: 0, tookOverFrom: null });
    const abandoned = rec({ kind: 'release', outcome: 'abandoned', retries: 2 });
    expect(decide(tip(abandoned), judge())).toMatchObject({ action: 'claim', retries: 2 });
    expect(decide(tip(rec({ kind: 'reset', retries: 0 })), judge())).toMatchObject({
      action: 'claim',
      retries: 0,
    });
  });

  it('refuses done and poisoned chains', () => {
    const done = rec({ kind: 'release', outcome: 'complete' });
    expect(decide(tip(done), judge())).toMatchObject({ action: 'refuse', reason: 'done' });
    expect(decide(tip(rec({ kind: 'poison' })), judge())).toMatchObject({
      action: 'refuse',
      reason: 'poisoned',
    });
  });

  it('honours a failed release’s backoff as seen by this observer, then poisons at the limit', () => {
    const failed = rec({ kind: 'release', outcome: 'failed', retries: 1, backoffMs: 500 });
    expect(decide(tip(failed, { seenForMs: 499 }), judge())).toMatchObject({
      action: 'refuse',
      reason: 'backoff',
      waitMs: 1,
    });
    expect(decide(tip(failed, { seenForMs: 500 }), judge())).toMatchObject({ action: 'claim', retries: 1 });
    const last = rec({ kind: 'release', outcome: 'failed', retries: 3, backoffMs: 500 });
    expect(decide(tip(last), judge())).toMatchObject({ action: 'poison', retries: 3 });
  });

  it('refuses a live holder and takes over one silent for the threshold (owner ref and tip)', () => {
    const held = rec({ owner: 'a', retries: 1 });
    expect(decide(tip(held, { unchangedForMs: 5000 }), judge({}, { a: 999 }))).toMatchObject({
      action: 'refuse',
      reason: 'held',
      holder: 'a',
      waitMs: 1,
    });
    // A fresh claim tip is evidence of life even when the owner ref is old.
    expect(decide(tip(held, { unchangedForMs: 10 }), judge({}, { a: 50_000 }))).toMatchObject({
      action: 'refuse',
      reason: 'held',
    });
    expect(decide(tip(held, { unchangedForMs: 1000 }), judge({}, { a: 1000 }))).toMatchObject({
      action: 'claim',
      retries: 2,
      tookOverFrom: 'a',
    });
  });

  it('judges an owner without an owner ref by the claim tip alone', () => {
    const held = rec({ owner: 'ghost' });
    expect(decide(tip(held, { unchangedForMs: 999 }), judge())).toMatchObject({ action: 'refuse' });
    expect(decide(tip(held, { unchangedForMs: 1000 }), judge())).toMatchObject({ action: 'claim' });
  });

  it('poisons instead of taking over when the takeover reaches the retry limit', () => {
    const held = rec({ owner: 'a', retries: 2 });
    expect(decide(tip(held, { unchangedForMs: T }), judge({ maxRetries: 3 }))).toMatchObject({
      action: 'poison',
      retries: 3,
    });
  });

  it('adopts our own attempt and recovers an orphan of our owner id only once verified', () => {
    const mine = rec({ owner: 'me', attempt: 'known' });
    const knows = (a: string) => a === 'known';
    const claimer = { ownerId: 'me', knowsAttempt: knows, ownerVerified: false };
    expect(decide(tip(mine), judge({ claimer }))).toEqual({ action: 'adopt' });
    const orphan = rec({ owner: 'me', attempt: 'old', retries: 0 });
    expect(decide(tip(orphan), judge({ claimer }, { me: 0 }))).toMatchObject({ action: 'refuse' });
    const verified = { ...claimer, ownerVerified: true };
    expect(decide(tip(orphan), judge({ claimer: verified }))).toMatchObject({
      action: 'claim',
      retries: 1,
      tookOverFrom: 'me',
    });
  });

  it('waits a threshold before claiming over an unknown commit', () => {
    expect(decide(tip(null, { unchangedForMs: 10 }), judge())).toMatchObject({
      action: 'refuse',
      reason: 'held',
    });
    expect(decide(tip(null, { unchangedForMs: T, retries: 1 }), judge())).toMatchObject({
      action: 'claim',
      retries: 1,
      tookOverFrom: null,
    });
  });

  it('holds a hand claim while its lease runs on this observer’s clock, then takes it over without a retry', () => {
    const hand = rec({ owner: 'ws3/alice', retries: 1, hand: true, leaseMs: 5 * T });
    // Live: heartbeats (owner ref) fresh, lease not yet seen out; waits for whichever ends first.
    expect(
      decide(tip(hand, { seenForMs: 4900, unchangedForMs: 4900 }), judge({}, { 'ws3/alice': 10 })),
    ).toMatchObject({
      action: 'refuse',
      reason: 'held',
      holder: 'ws3/alice',
      waitMs: 100,
    });
    expect(
      decide(tip(hand, { seenForMs: 5 * T, unchangedForMs: 5 * T }), judge({}, { 'ws3/alice': 10 })),
    ).toMatchObject({
      action: 'claim',
      retries: 1,
      tookOverFrom: 'ws3/alice',
    });
    // Silent past the threshold (no hold running): taken over, still no retry spent.
    expect(decide(tip(hand, { seenForMs: T, unchangedForMs: T }), judge())).toMatchObject({
      action: 'claim',
      retries: 1,
    });
  });
});
