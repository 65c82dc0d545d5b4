import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A key the platform shows once (a new partner's, a rotated one, a card's private key). */
export interface ShownKey {
  /** Unique among the keys on screen. */
  id: string;
  /** Whose key, as the operator knows it. */
  label: string;
  secret: string;
  card?: boolean;
}

/**
 * One shown-once key, kept on screen until the operator dismisses it: pressing a form's button
 * again, switching tabs or rotating another key never takes it away (issue 17 point 6).
 */
export function KeyOnce({ shown, onDismiss }: { shown: ShownKey; onDismiss: () => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const onCopy = () => {
    const clipboard = navigator.clipboard;
    if (!clipboard) {
      setCopy('failed');
      return;
    }
    clipboard.writeText(shown.secret).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };
  return (
    <section
      className="notice notice-success key-once"
      aria-labelledby={`${uid}-title`}
      data-testid="partner-created"
    >
      <h3 className="notice-title" id={`${uid}-title`}>
        {t('ops.keys.title')}: {shown.label}
      </h3>
      <p>
        <strong>{t(shown.card ? 'admin.partners.keyOnceCard' : 'ops.keys.warning')}</strong>
      </p>
      <label htmlFor={`${uid}-secret`}>{t('admin.partners.secret')}</label>
      <textarea
        id={`${uid}-secret`}
        readOnly
        rows={shown.card ? 5 : 2}
        value={shown.secret}
        data-testid="partner-secret"
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="button-row">
        <button type="button" className="secondary small" onClick={onCopy} data-testid="partner-copy">
          {t('ops.keys.copy')}
        </button>
        <button type="button" className="small" onClick={onDismiss} data-testid="partner-dismiss">
          {t('ops.keys.dismiss')}
        </button>
        <span role="status">
          {copy === 'copied' ? t('ops.keys.copied') : copy === 'failed' ? t('ops.keys.copyFailed') : ''}
        </span>
      </div>
    </section>
  );
}
