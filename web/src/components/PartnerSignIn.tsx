import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from './SelectField';
import { TextField } from './TextField';

/**
 * Partner sign-in (pharmacy, store, counter): the partner's id and the API key an operator
 * issued. In demo mode the demo partners can be picked from a list.
 */
export function PartnerSignIn({
  title,
  idLabel,
  idPattern,
  demoChoices,
  onSubmit,
  testId,
  children,
}: {
  title: string;
  idLabel: string;
  idPattern?: string;
  demoChoices: { id: string; label: string; apiKey: string }[];
  onSubmit: (id: string, apiKey: string, label?: string) => void;
  testId: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [id, setId] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [label, setLabel] = useState<string | undefined>(undefined);
  const pick = (value: string) => {
    const choice = demoChoices.find((c) => c.id === value);
    if (!choice) return;
    setId(choice.id);
    setApiKey(choice.apiKey);
    setLabel(choice.label);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(id.trim(), apiKey.trim(), label);
  };
  return (
    <form className="panel narrow" onSubmit={submit} data-testid={testId}>
      <h2>{title}</h2>
      {children}
      {demoChoices.length > 0 ? (
        <SelectField
          id={`${uid}-demo`}
          label={t('partner.demoPick')}
          fieldClassName="sim-box"
          defaultValue=""
          onChange={(e) => pick(e.target.value)}
          data-testid={`${testId}-demo`}
        >
          <option value="">{t('reader.choosePlaceholder')}</option>
          {demoChoices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextField
        id={`${uid}-id`}
        label={idLabel}
        required
        pattern={idPattern}
        autoComplete="username"
        value={id}
        onChange={(e) => setId(e.target.value)}
        data-testid={`${testId}-id`}
      />
      <TextField
        id={`${uid}-key`}
        label={t('partner.apiKey')}
        type="password"
        required
        autoComplete="current-password"
        value={apiKey}
        onChange={(e) => setApiKey(e.target.value)}
        data-testid={`${testId}-key`}
      />
      <button type="submit" data-testid={`${testId}-submit`}>
        {t('partner.signIn')}
      </button>
    </form>
  );
}
