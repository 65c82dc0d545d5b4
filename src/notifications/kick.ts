/**
 * In-process wake-up for the delivery workers. Use cases that enqueue a message may call
 * `kickOutbox()` right after their transaction commits, so delivery starts at once; the
 * `outbox_enqueued` NOTIFY trigger (migrations/functions/outbox-notify.sql) does the same across processes, and the
 * workers also poll, so a missed kick only delays delivery.
 */
const listeners = new Set<() => void>();

export function kickOutbox(): void {
  for (const listener of listeners) listener();
}

export function onOutboxKick(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
