import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CHAINS, CITIES } from '../lib/places';
import { SelectField } from './SelectField';

/**
 * The city → district → chain selects of the store picker, the open-data map and the stores
 * admin. The district select shows only when `district` is given (disabled until a city is
 * chosen), the chain select only when `chain` is; the parent holds the values and clears the
 * district when the city changes. `testIdPrefix` names them `${prefix}-city` and so on.
 */
export function PlaceFilter({
  city,
  onCity,
  district,
  chain,
  testIdPrefix,
}: {
  city: string;
  onCity: (city: string) => void;
  district?: { value: string; options: readonly string[]; onChange: (district: string) => void };
  chain?: { value: string; onChange: (chain: string) => void };
  testIdPrefix?: string;
}) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const testId = (name: string) => (testIdPrefix ? `${testIdPrefix}-${name}` : undefined);
  return (
    <>
      <SelectField
        id={`${uid}-city`}
        label={t('storePicker.city')}
        value={city}
        onChange={(e) => onCity(e.target.value)}
        data-testid={testId('city')}
      >
        <option value="">{t('storePicker.anyCity')}</option>
        {CITIES.map((c) => (
          <option key={c.zh} value={c.zh}>
            {i18n.language === 'en' ? c.en : c.zh}
          </option>
        ))}
      </SelectField>
      {district ? (
        <SelectField
          id={`${uid}-district`}
          label={t('storePicker.district')}
          value={district.value}
          onChange={(e) => district.onChange(e.target.value)}
          disabled={!city}
          data-testid={testId('district')}
        >
          <option value="">{t('storePicker.anyDistrict')}</option>
          {district.options.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </SelectField>
      ) : null}
      {chain ? (
        <SelectField
          id={`${uid}-chain`}
          label={t('storePicker.chain')}
          value={chain.value}
          onChange={(e) => chain.onChange(e.target.value)}
          data-testid={testId('chain')}
        >
          <option value="">{t('storePicker.anyChain')}</option>
          {CHAINS.map((c) => (
            <option key={c} value={c}>
              {t(`chain.${c}`)}
            </option>
          ))}
        </SelectField>
      ) : null}
    </>
  );
}
