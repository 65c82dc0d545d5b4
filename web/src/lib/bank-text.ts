import { useTranslation } from 'react-i18next';
import type { PaymentBank } from './api';
import { runtimeKey } from './message-key';

/**
 * "銀行代碼 004 臺灣銀行": the bank an ATM transfer to the personal account goes to. The name
 * is the configured one (PAYMENT_BANK_NAME); in English a known bank's English name.
 */
export function useBankText(): (bank: PaymentBank) => string {
  const { t, i18n } = useTranslation();
  return (bank) =>
    t('counter.bank', {
      code: bank.code,
      name:
        i18n.language === 'en'
          ? t(runtimeKey(`counter.bankNames.${bank.code}`), { defaultValue: bank.name })
          : bank.name,
    });
}
