import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { runtimeKey } from './message-key';

const TZ = 'Asia/Taipei';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'zh-TW';
}

/** `2020-03-26` → 2020年3月26日 (週四) / Thu 26 Mar 2020. Calendar dates are Taipei dates already. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) return date;
  const instant = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(instant);
}

/** An instant shown in Taipei time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: TZ,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(instant);
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** ISO weekday numbers (1 = Monday … 7 = Sunday) as names. */
export function formatWeekdays(days: readonly number[]): string {
  // 2024-01-01 is a Monday.
  const names = days.map((d) =>
    new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'long' }).format(
      new Date(Date.UTC(2024, 0, d, 12)),
    ),
  );
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(names);
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `NT$${amount.toLocaleString(locale())}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString(locale());
}

/** A Taipei wall-clock value from <input type="datetime-local"> → ISO with +08:00. */
export function taipeiLocalToIso(local: string): string {
  const withSeconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local;
  return `${withSeconds}+08:00`;
}

/** ISO instant → value for <input type="datetime-local"> in Taipei time. */
export function isoToTaipeiLocal(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16);
}

/** Today's Taipei date of an instant, `YYYY-MM-DD`. */
export function taipeiDateOf(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * What each chain is called on shop signs, in either language: a store's own name often carries
 * one of these ("7-ELEVEN 內湖站前門市", "全家內湖店"), whatever language the screen is in.
 */
const CHAIN_NAMES: Record<string, readonly string[]> = {
  '7-11': ['7-11', '7-ELEVEN', '統一超商'],
  FamilyMart: ['FAMILYMART', 'FAMILY MART', '全家'],
  'Hi-Life': ['HI-LIFE', 'HILIFE', '萊爾富'],
  OK: ['OK超商', 'OK 超商', 'OK MART', 'OKMART'],
};

/**
 * A store as people name it, the one form every screen shows (issue 17 point 7): the chain, then
 * the store's name — but the name alone when it already carries its chain in any language, so the
 * chain is never said twice ("7-ELEVEN 內湖站前門市", not "7-11 7-ELEVEN 內湖站前門市").
 */
export function storeLabel(store: { chain?: string | null | undefined; name: string }, t: TFunction): string {
  const chain = store.chain ?? '';
  if (!chain) return store.name;
  const chainName = t(runtimeKey(`chain.${chain}`), { defaultValue: chain });
  const upper = store.name.toUpperCase();
  const carried = [chain, chainName, ...(CHAIN_NAMES[chain] ?? [])].some((n) =>
    upper.includes(n.toUpperCase()),
  );
  return carried ? store.name : `${chainName} ${store.name}`;
}
