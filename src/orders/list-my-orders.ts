import { type PaymentMethod, paymentMethods } from '../payments/payment-methods.js';
import type { Channel } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { loadHistory } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { onlinePurchaseDays } from '../rules/interval.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { type OrderStatus, orderStatus } from './order-status.js';
import { ordersOfPerson, storeOfOrder } from './orders.repo.js';

export interface MyOrderView {
  id: number;
  roundId: number;
  roundName: string;
  status: OrderStatus;
  amount: number;
  virtualAccount?: string;
  /** Beside the account: the bank an ATM transfer goes to. */
  bank?: { code: string; name: string };
  /** How this order can be paid from this session: always ATM; card for a web order from a web session. */
  payableBy?: PaymentMethod[];
  paymentOpensAt: string;
  paymentClosesAt: string;
  store: ReturnType<typeof storeOfOrder>;
  pickupSerial?: string;
  pickupStartsOn: string;
  pickupEndsOn: string;
  collectableFrom?: string;
}

/**
 * The signed-in person's pre-orders with their status now (SPEC §5, [ORD 14, 24.11]). A paid
 * order shows `collectableFrom`: the day it counts as a purchase under the interval rule across
 * channels — the first pickup day, or later if the person bought at a pharmacy less than a
 * period before ([v1 Q8, Q10; ORD 21.5]: paid 3/20, pharmacy 3/22 → collect from 3/29).
 */
export async function listMyOrders(
  input: { personId: number; channel: Channel },
  deps: Deps,
): Promise<MyOrderView[]> {
  const now = deps.clock.now();
  const rows = await ordersOfPerson(deps.sql, input.personId);
  const statuses = rows.map((row) => orderStatus(row, row, now));
  let collectable = new Map<number, string>();
  if (statuses.includes('paid')) {
    const [history, programme] = await Promise.all([
      loadHistory(deps.sql, input.personId),
      loadProgramme(deps.sql),
    ]);
    collectable = onlinePurchaseDays(history, programme.periodDays);
  }
  return rows.map((row, i) => {
    const status = statuses[i] as OrderStatus;
    const collectableFrom = status === 'paid' ? collectable.get(row.id) : undefined;
    return {
      id: row.id,
      roundId: row.roundId,
      roundName: row.roundName,
      status,
      amount: row.amount,
      ...(row.virtualAccount ? { virtualAccount: row.virtualAccount, bank: deps.config.paymentBank } : {}),
      ...(status === 'awaiting_payment' ? { payableBy: paymentMethods(row.channel, input.channel) } : {}),
      paymentOpensAt: toTaipeiIso(row.paymentOpensAt),
      paymentClosesAt: toTaipeiIso(row.paymentClosesAt),
      store: storeOfOrder(row),
      ...(row.pickupSerial ? { pickupSerial: row.pickupSerial } : {}),
      pickupStartsOn: row.pickupStartsOn,
      pickupEndsOn: row.pickupEndsOn,
      ...(collectableFrom ? { collectableFrom } : {}),
    };
  });
}
