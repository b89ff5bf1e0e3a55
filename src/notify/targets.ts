import { redactUrl } from '../core/redact.js';
import type { NotificationBody } from './payload.js';

/** Where notifications go. `label` is safe to log: it never holds a secret. */
export interface NotifyTarget {
  label: string;
  /** Resolves when delivered; rejects with a DeliveryError. */
  send(body: NotificationBody, signal: AbortSignal): Promise<void>;
}

/** A failed delivery; `retryable` for 5xx, 429 and network errors, never for another 4xx. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

async function post(
  url: string,
  label: string,
  json: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'codex-monitor', ...headers },
      body: JSON.stringify(json),
      signal,
    });
  } catch (error) {
    // The cause names the URL on some platforms: say only what kind of failure it was.
    const kind = signal.aborted
      ? 'timed out or aborted'
      : ((error as { cause?: { code?: string } }).cause?.code ?? 'network error');
    throw new DeliveryError(`${label}: ${kind}`, true);
  }
  await response.body?.cancel().catch(() => {});
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 429;
  throw new DeliveryError(`${label}: HTTP ${response.status}`, retryable, response.status);
}

/** A webhook: the body as JSON. The URL may carry a token (Slack's do): only its redacted form is logged. */
export function webhookTarget(url: string): NotifyTarget {
  const parsed = new URL(url);
  // Path and query of a webhook URL are its secret (hooks.slack.com/services/T…/B…/…): keep the origin only.
  const label = `webhook ${redactUrl(`${parsed.protocol}//${parsed.username ? 'x@' : ''}${parsed.host}`)}/…`;
  // fetch refuses a URL with credentials: they travel as Basic authentication instead.
  const headers: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const target = parsed.toString();
  return { label, send: (body, signal) => post(target, label, body, signal, headers) };
}

/**
 * A Telegram bot: sendMessage with the `text`. The token is only in the request's path,
 * never in the label or an error.
 */
export function telegramTarget(
  token: string,
  chat: string,
  apiUrl = 'https://api.telegram.org',
): NotifyTarget {
  const base = apiUrl.replace(/\/+$/, '');
  const label = `telegram chat ${chat}`;
  return {
    label,
    send: (body, signal) =>
      post(
        `${base}/bot${token}/sendMessage`,
        label,
        { chat_id: chat, text: body.text, disable_web_page_preview: true },
        signal,
      ),
  };
}
