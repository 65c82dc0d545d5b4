import { useTranslation } from 'react-i18next';
import type { DemoCard } from './demo';
import { runtimeKey } from './message-key';

const TELECOM_CASES = new Set([
  'own_monthly',
  'parent_child',
  'prepaid',
  'foreign_holder',
  'corporate',
  'mvno',
  'suspended',
  'arrears',
  'not_owner',
  'carrier_other',
  'no_mobile_data',
]);

/**
 * What a demo card is for, in the screen's language: the data set's notes are English, so in
 * Chinese the note is told from the card's facts (its phone line's case, nationality, birth date).
 */
export function useDemoNote(): (card: DemoCard) => string {
  const { t, i18n } = useTranslation();
  return (card) => {
    if (i18n.language === 'en') return card.note ?? '';
    if (card.telecomCase && TELECOM_CASES.has(card.telecomCase)) {
      const carrier = card.carrier
        ? t(runtimeKey(`counter.carriers.${card.carrier}`), { defaultValue: card.carrier })
        : '';
      return t(runtimeKey(`counter.demoNote.${card.telecomCase}`), { carrier });
    }
    if (card.nationality === 'foreign') return t('counter.demoNote.foreign');
    if (card.birthDate) return t('counter.demoNote.noPhone', { date: card.birthDate });
    return '';
  };
}
