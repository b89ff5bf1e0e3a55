import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { NOTIFY_EVENTS, type Notification } from '../../src/core/notification.js';
import { Notifier, telegramTarget, webhookTarget } from '../../src/notify/index.js';
import { startReceiver } from '../support/notify-receiver.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(script: number[] = []) {
  const r = await startReceiver(script);
  cleanups.push(r.close);
  return r;
}

function notifier(
  targets: Parameters<typeof webhookTarget>[0][] | ReturnType<typeof webhookTarget>[],
  extra = {},
) {
  const logs: string[] = [];
  const logger = createLogger('debug', { pretty: false, write: (line) => logs.push(line) });
  const n = new Notifier({
    targets: targets.map((t) => (typeof t === 'string' ? webhookTarget(t) : t)),
    events: new Set(NOTIFY_EVENTS),
    clock: systemClock(),
    logger,
    backoffBaseMs: 5,
    ...extra,
  });
  cleanups.push(() => n.close(0));
  return { n, logs };
}

const poisoned: Notification = {
  event: 'poisoned',
  task: '#7',
  issue: 7,
  owner: 'ws1/codex',
  epoch: 3,
  repository: 'acme/widgets',
  url: 'https://github.com/acme/widgets/issues/7',
  summary: 'out of retries after 3 failures',
};

describe('Notifier (webhooks against a local receiver)', () => {
  it('POSTs the Slack-compatible text and the structured fields, with no token in the body or the logs', async () => {
    const r = await receiver();
    const secretUrl = `${r.url.replace('http://', 'http://user:hunter2secret@')}/services/T0/B0/XYZSECRETPATH`;
    const { n, logs } = notifier([secretUrl]);
    n.notify(poisoned);
    await n.close(5000);
    expect(r.received).toHaveLength(1);
    const [request] = r.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/services/T0/B0/XYZSECRETPATH');
    expect(request?.authorization).toBe(`Basic ${Buffer.from('user:hunter2secret').toString('base64')}`);
    const body = JSON.parse(request?.body ?? '{}');
    const { summary: _, ...fields } = poisoned;
    expect(body).toEqual({
      ...fields,
      text: expect.stringContaining('acme/widgets #7: poisoned'),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      error: null,
    });
    expect(body.text).toContain('https://github.com/acme/widgets/issues/7');
    expect(n.stats).toMatchObject({ delivered: 1, failed: 0 });
    const all = `${request?.body}\n${logs.join('\n')}`;
    expect(all).not.toContain('hunter2secret');
    expect(logs.join('\n')).not.toContain('XYZSECRETPATH');
    expect(logs.join('\n')).toContain('notification sent');
  });

  it('retries a 500 and delivers once; does not retry a 400', async () => {
    const flaky = await receiver([500]);
    const { n } = notifier([flaky.url]);
    n.notify(poisoned);
    await n.close(5000);
    expect(flaky.received).toHaveLength(2);
    expect(flaky.received[0]?.body).toBe(flaky.received[1]?.body);
    expect(n.stats).toMatchObject({ delivered: 1, failed: 0 });

    const refusing = await receiver([400, 400]);
    const second = notifier([refusing.url]);
    second.n.notify(poisoned);
    await second.n.close(5000);
    expect(refusing.received).toHaveLength(1);
    expect(second.n.stats).toMatchObject({ delivered: 0, failed: 1 });
    expect(second.logs.join('\n')).toMatch(
      /notification failed: webhook http:\/\/127\.0\.0\.1:\d+\/…: HTTP 400/,
    );
  });

  it('gives up after its attempts on a target that keeps failing, and never throws', async () => {
    const down = await receiver([503, 503, 503]);
    const { n } = notifier([down.url], { attempts: 3 });
    expect(() => n.notify(poisoned)).not.toThrow();
    await n.close(5000);
    expect(down.received).toHaveLength(3);
    expect(n.stats).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('sends one notification per event, task and epoch, and only the chosen events', async () => {
    const r = await receiver();
    const { n } = notifier([r.url], { events: new Set(['poisoned']) });
    n.notify(poisoned);
    n.notify({ ...poisoned }); // a retried ledger write
    n.notify({ ...poisoned, epoch: 4 }); // poisoned again after a reset: a new epoch
    n.notify({ ...poisoned, event: 'done' }); // not chosen
    await n.close(5000);
    expect(r.received.map((q) => JSON.parse(q.body).epoch)).toEqual([3, 4]);
    expect(n.stats.duplicates).toBe(1);
  });

  it('keeps at most queueLimit waiting, dropping the oldest with a warning', async () => {
    const r = await receiver();
    r.hold();
    const { n, logs } = notifier([r.url], { queueLimit: 2 });
    n.notify({ ...poisoned, task: '#1' });
    await r.waitFor(1); // #1 is in flight: it left the queue
    for (const task of ['#2', '#3', '#4', '#5']) n.notify({ ...poisoned, task });
    expect(n.stats.dropped).toBe(2);
    expect(logs.join('\n')).toContain('notification queue full');
    r.release();
    await r.waitFor(3);
    await n.close(5000);
    expect(r.received.map((q) => JSON.parse(q.body).task)).toEqual(['#1', '#4', '#5']);
  });

  it('stops waiting at close after its bound, and drops what is left', async () => {
    const r = await receiver();
    r.hold();
    const { n, logs } = notifier([r.url]);
    n.notify({ ...poisoned, task: '#1' });
    n.notify({ ...poisoned, task: '#2' });
    await r.waitFor(1);
    await n.close(50); // the held request never answers: close must not wait for it
    expect(logs.join('\n')).toContain('notifications not sent before shutdown');
    expect(r.received).toHaveLength(1);
    n.notify({ ...poisoned, task: '#3' }); // after close: ignored
    r.release();
    expect(r.received).toHaveLength(1);
  });
});

describe('Telegram target (a local stand-in for the Bot API)', () => {
  it('calls /bot<token>/sendMessage with the chat and the text; the token is never logged', async () => {
    const api = await receiver([502]);
    const token = '123456:AAtelegramSECRETtoken';
    const { n, logs } = notifier([telegramTarget(token, '-1001', `${api.url}/`)]);
    n.notify(poisoned);
    await n.close(5000);
    expect(api.received).toHaveLength(2);
    expect(api.received[1]?.path).toBe(`/bot${token}/sendMessage`);
    const body = JSON.parse(api.received[1]?.body ?? '{}');
    expect(body).toMatchObject({ chat_id: '-1001', text: expect.stringContaining('#7: poisoned') });
    expect(api.received[1]?.body).not.toContain(token);
    expect(logs.join('\n')).toContain('telegram chat -1001');
    expect(logs.join('\n')).not.toContain('SECRET');
  });
});
