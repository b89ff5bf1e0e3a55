/** Notifications when work needs a human: webhooks and a Telegram bot (docs/architecture.md). */
export { Notifier, type NotifierOptions, type NotifierStats } from './notifier.js';
export { dedupeKey, type NotificationBody, notificationBody } from './payload.js';
export { DeliveryError, type NotifyTarget, telegramTarget, webhookTarget } from './targets.js';
