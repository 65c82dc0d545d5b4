import type { ParseKeys } from 'i18next';

/** A translation key, checked against the zh-TW messages by the compiler (web/src/i18next.d.ts). */
export type MessageKey = ParseKeys;

/**
 * A key made at run time from data — an error code, a chain, a form field's name — which the
 * compiler cannot check: the one place such a key is let through, so that every other `t(…)`
 * keeps its check. Pass a `defaultValue` where the data may have no message.
 */
export function runtimeKey(key: string): MessageKey {
  return key as MessageKey;
}
