import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';

export type DocumentType = 'id_card' | 'nhi_card' | 'driver_license';
const DOCUMENT_TYPES: DocumentType[] = ['id_card', 'nhi_card', 'driver_license'];

/** The type and number of an identity document the clerk checks (the buyer's, or a proxy's). */
export function DocumentFields({
  legend,
  type,
  number,
  onType,
  onNumber,
  testId,
}: {
  legend: string;
  type: DocumentType;
  number: string;
  onType: (t: DocumentType) => void;
  onNumber: (n: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const uid = useId();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="field-grid">
        <SelectField
          id={`${uid}-type`}
          label={t('store.docType')}
          value={type}
          onChange={(e) => onType(e.target.value as DocumentType)}
          data-testid={`${testId}-type`}
        >
          {DOCUMENT_TYPES.map((d) => (
            <option key={d} value={d}>
              {t(`document.${d}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${uid}-number`}
          label={t('store.docNumber')}
          autoComplete="off"
          required
          value={number}
          onChange={(e) => onNumber(e.target.value)}
          data-testid={`${testId}-number`}
        />
      </div>
    </fieldset>
  );
}
