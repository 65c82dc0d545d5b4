import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importPrivateKey, type SigningKey, signNonce } from '../lib/crypto';
import { useDemo } from '../lib/demo';
import { useDemoNote } from '../lib/demo-note';
import { ErrorNotice } from './ErrorNotice';
import { SelectField } from './SelectField';
import { TextAreaField, TextField } from './TextField';

/** A card in the reader: its number and a way to sign a challenge with the key on the card. */
export interface InsertedCard {
  cardNo: string;
  holder: string | null;
  sign(nonce: string): Promise<string>;
}

async function insert(cardNo: string, privateKeyPem: string, holder: string | null): Promise<InsertedCard> {
  const key: SigningKey = await importPrivateKey(privateKeyPem);
  if (key.kind !== 'Ed25519') throw new Error('not an Ed25519 card key');
  return { cardNo, holder, sign: (nonce) => signNonce(key, nonce) };
}

/**
 * The virtual card reader of the demo: a card's private key stands in for the chip, and every
 * challenge is signed here in the browser with WebCrypto Ed25519 (the key is imported
 * non-extractable). Without demo data, a card file (number + PKCS#8 PEM) can be loaded by hand.
 */
export function CardReader({
  card,
  onChange,
  idPrefix = 'reader',
}: {
  card: InsertedCard | null;
  onChange: (card: InsertedCard | null) => void;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  const demo = useDemo();
  const uid = useId();
  const [chosen, setChosen] = useState('');
  const [manualNo, setManualNo] = useState('');
  const [manualPem, setManualPem] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const cards = demo.status === 'on' ? demo.data.cards : [];
  const note = useDemoNote();

  const insertDemo = async () => {
    setError(undefined);
    const found = cards.find((c) => c.cardNo === chosen);
    if (!found) return;
    try {
      onChange(await insert(found.cardNo, found.privateKeyPem, found.name));
    } catch (e) {
      setError(e);
    }
  };
  const insertManual = async () => {
    setError(undefined);
    try {
      onChange(await insert(manualNo.trim(), manualPem, null));
    } catch (e) {
      setError(e);
    }
  };

  if (card) {
    return (
      <div className="card-reader inserted" data-testid={`${idPrefix}-inserted`}>
        <p>
          <span className="reader-light" aria-hidden="true" />
          {t('reader.inserted', { cardNo: card.cardNo })}
          {card.holder ? ` · ${card.holder}` : ''}
        </p>
        <button type="button" className="secondary" onClick={() => onChange(null)}>
          {t('reader.eject')}
        </button>
      </div>
    );
  }

  return (
    <fieldset className="card-reader">
      <legend>{t('reader.title')}</legend>
      {cards.length > 0 ? (
        <div className="field-row">
          <SelectField
            id={`${uid}-card`}
            label={t('reader.chooseCard')}
            fieldClassName="grow"
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            data-testid={`${idPrefix}-card-select`}
          >
            <option value="">{t('reader.choosePlaceholder')}</option>
            {cards.map((c) => (
              <option key={c.cardNo} value={c.cardNo}>
                {c.name} · {c.cardNo}
                {note(c) ? ` · ${note(c)}` : ''}
              </option>
            ))}
          </SelectField>
          <button type="button" onClick={insertDemo} disabled={!chosen} data-testid={`${idPrefix}-insert`}>
            {t('reader.insert')}
          </button>
        </div>
      ) : (
        <p className="hint">{demo.status === 'loading' ? t('common.loading') : t('reader.noDemo')}</p>
      )}
      <details className="manual-card" open={cards.length === 0 && demo.status === 'off'}>
        <summary>{t('reader.manual')}</summary>
        <TextField
          id={`${uid}-no`}
          label={t('reader.cardNo')}
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]{12}"
          maxLength={12}
          value={manualNo}
          onChange={(e) => setManualNo(e.target.value)}
          data-testid={`${idPrefix}-manual-no`}
        />
        <TextAreaField
          id={`${uid}-pem`}
          label={t('reader.privateKey')}
          rows={4}
          spellCheck={false}
          value={manualPem}
          onChange={(e) => setManualPem(e.target.value)}
          data-testid={`${idPrefix}-manual-pem`}
        />
        <button
          type="button"
          onClick={insertManual}
          disabled={!/^\d{12}$/.test(manualNo.trim()) || !manualPem.includes('PRIVATE KEY')}
          data-testid={`${idPrefix}-manual-insert`}
        >
          {t('reader.insert')}
        </button>
      </details>
      <ErrorNotice error={error} />
    </fieldset>
  );
}
