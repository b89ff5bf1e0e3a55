import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { Notifier, type NotifyTarget, telegramTarget, webhookTarget } from '../../notify/index.js';

/** The Notifier NOTIFY_* configure; null when no target is set (nothing is queued, nothing runs). */
export function openNotifier(config: Config, deps: { clock: Clock; logger: Logger }): Notifier | null {
  const { webhookUrls, telegram, events } = config.notify;
  const targets: NotifyTarget[] = webhookUrls.map((url) => webhookTarget(url));
  if (telegram) targets.push(telegramTarget(telegram.token, telegram.chat, telegram.apiUrl));
  if (targets.length === 0) return null;
  const logger = deps.logger.child({ component: 'notify' });
  logger.info({ targets: targets.map((t) => t.label), events }, 'notifications on');
  return new Notifier({ targets, events: new Set(events), clock: deps.clock, logger });
}

/** How long a stopping daemon waits for its last notifications (a daemon-error among them). */
export const NOTIFY_FLUSH_MS = 5000;

/** A daemon that stops on an error says so: with the error's code only (its message may quote a path or output). */
export function notifyDaemonError(
  notifier: Notifier | null,
  ownerId: string,
  repository: { owner: string; repo: string } | undefined,
  error: unknown,
): void {
  const code = (error as { code?: unknown })?.code;
  notifier?.notify({
    event: 'daemon-error',
    owner: ownerId,
    ...(repository ? { repository: `${repository.owner}/${repository.repo}` } : {}),
    summary: typeof code === 'string' ? `stopped on ${code}` : 'stopped on an unexpected error',
  });
}
