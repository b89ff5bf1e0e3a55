import type { NotifyEventName } from '../core/notification.js';
import type { VariableName } from './variables.js';

/** Notifications, as configured (see notify-variables.ts). */
export interface NotifyConfig {
  webhookUrls: string[];
  events: NotifyEventName[];
  telegram: { token: string; chat: string; apiUrl: string } | undefined;
}

/** Only scheme and host of a webhook URL may be shown: its path is its secret (Slack's are). */
function shown(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}/…`;
  } catch {
    return 'a value that is not a URL';
  }
}

export function notifyConfig(get: <T>(name: VariableName) => T, problems: string[]): NotifyConfig {
  const webhookUrls = (get<string | undefined>('NOTIFY_WEBHOOK_URL') ?? '').split(/[\s,]+/).filter(Boolean);
  webhookUrls.forEach((url, i) => {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(url).protocol);
    } catch {}
    if (!ok)
      problems.push(
        `NOTIFY_WEBHOOK_URL: item ${i + 1} (${shown(url)}) is not an http(s) URL; give full URLs such as https://hooks.example.com/…, separated by commas or spaces`,
      );
  });
  const token = get<string | undefined>('NOTIFY_TELEGRAM_TOKEN');
  const chat = get<string | undefined>('NOTIFY_TELEGRAM_CHAT');
  if ((token === undefined) !== (chat === undefined))
    problems.push(
      `NOTIFY_TELEGRAM_TOKEN and NOTIFY_TELEGRAM_CHAT go together: ${token === undefined ? 'NOTIFY_TELEGRAM_CHAT is set without the token' : 'NOTIFY_TELEGRAM_TOKEN is set without a chat'}; set both or neither`,
    );
  const events = [
    ...new Set((get<string>('NOTIFY_ON') ?? '').split(/[\s,]+/).filter(Boolean)),
  ] as NotifyEventName[];
  return {
    webhookUrls,
    events,
    telegram:
      token !== undefined && chat !== undefined
        ? { token, chat, apiUrl: get<string>('NOTIFY_TELEGRAM_API_URL').replace(/\/+$/, '') }
        : undefined,
  };
}
