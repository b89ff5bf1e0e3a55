import { z } from 'zod';
import { NOTIFY_EVENTS } from '../core/notification.js';
import { text, type VariableSpec } from './variable-schemas.js';

const EVENT_LIST = new RegExp(`^(${NOTIFY_EVENTS.join('|')})([\\s,]+(${NOTIFY_EVENTS.join('|')}))*$`);

/**
 * Notifications when work needs a human (notify-config.ts checks them together). The webhook
 * URLs and the bot token are secrets: never logged, never passed to an agent.
 */
export const NOTIFY_VARIABLES = [
  {
    name: 'NOTIFY_WEBHOOK_URL',
    // Any text here: notify-config.ts checks each URL and names it without its secret path.
    schema: text,
    expected: 'one or more http(s) URLs, separated by commas or spaces',
    doc: 'Webhooks that receive a JSON POST (Slack-compatible `text` plus event, task, issue, owner, epoch, repository, at, url) on the NOTIFY_ON events. A secret: only its host is ever logged.',
  },
  {
    name: 'NOTIFY_ON',
    schema: z.string().trim().toLowerCase().regex(EVENT_LIST),
    default: 'poisoned,fenced,daemon-error',
    expected: `a list (commas or spaces) of ${NOTIFY_EVENTS.join(', ')}`,
    doc: 'The events that notify. Only the daemon that wrote the ledger record (for pr-opened: opened the pull request; for a takeover: the taker) notifies, once per task and epoch.',
  },
  {
    name: 'NOTIFY_TELEGRAM_TOKEN',
    schema: text,
    expected: 'a Telegram bot token (from @BotFather)',
    doc: 'Also send the notifications’ text to a Telegram chat through this bot. Needs NOTIFY_TELEGRAM_CHAT. A secret.',
  },
  {
    name: 'NOTIFY_TELEGRAM_CHAT',
    schema: text.regex(/^(-?\d+|@\w+)$/),
    expected: 'a chat id (a number, negative for groups) or @channelname',
    doc: 'The chat the Telegram bot writes to. Needs NOTIFY_TELEGRAM_TOKEN.',
  },
  {
    name: 'NOTIFY_TELEGRAM_API_URL',
    schema: z.url({ protocol: /^https?$/ }),
    default: 'https://api.telegram.org',
    expected: 'an http(s) URL',
    doc: 'The Telegram Bot API’s base URL (tests point it at a local stand-in).',
  },
] as const satisfies readonly VariableSpec[];
