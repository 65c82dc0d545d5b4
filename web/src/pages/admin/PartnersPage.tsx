import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TabList } from '../../components/TabList';
import { CHAINS, CITIES } from '../../lib/places';
import { KeyOnce, type ShownKey } from './KeyOnce';
import { PartnerForm } from './PartnerForm';
import { PartnersList } from './PartnersList';
import type { Field, Kind } from './partner-fields';

/**
 * Partners: an operator registers a pharmacy, a store or an airport counter and receives its API
 * key, shown exactly once (the platform keeps only a hash) and kept on screen until dismissed.
 * Cards are issued here too. Below, the list of partners, where keys are rotated or revoked.
 */
export function PartnersPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<Kind>('pharmacy');
  const [keys, setKeys] = useState<ShownKey[]>([]);
  const [version, setVersion] = useState(0);
  const next = useRef(0);
  const show = (shown: Omit<ShownKey, 'id'>) => {
    next.current += 1;
    setKeys((all) => [...all, { ...shown, id: String(next.current) }]);
    setVersion((v) => v + 1);
  };
  const forms: Record<Kind, { path: string; fields: Field[] }> = {
    pharmacy: {
      path: '/api/v1/admin/pharmacies',
      fields: [
        { name: 'code', required: true, pattern: '[0-9A-Za-z]{10}' },
        { name: 'name', required: true },
        { name: 'address', required: true },
        { name: 'phone', required: true },
        { name: 'lat', type: 'number' },
        { name: 'lng', type: 'number' },
      ],
    },
    store: {
      path: '/api/v1/admin/stores',
      fields: [
        { name: 'chain', required: true, options: CHAINS.map((c) => ({ value: c, label: t(`chain.${c}`) })) },
        { name: 'storeNo', required: true },
        { name: 'name', required: true },
        { name: 'address', required: true },
        {
          name: 'city',
          required: true,
          options: CITIES.map((c) => ({ value: c.zh, label: i18n.language === 'en' ? c.en : c.zh })),
        },
        { name: 'district', required: true },
      ],
    },
    counter: { path: '/api/v1/admin/airport-counters', fields: [{ name: 'name', required: true }] },
    card: {
      path: '/api/v1/admin/cards',
      fields: [
        { name: 'nationalId', required: true },
        { name: 'name', required: true },
        { name: 'birthDate', type: 'date', required: true },
        {
          name: 'nationality',
          required: true,
          options: [
            { value: 'TW', label: t('admin.partners.nationalityTW') },
            { value: 'foreign', label: t('admin.partners.nationalityForeign') },
          ],
        },
        { name: 'arcNumber' },
      ],
    },
  };
  const kinds: Kind[] = ['pharmacy', 'store', 'counter', 'card'];
  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t('admin.partners.title')}</h2>
      {keys.map((k) => (
        <KeyOnce key={k.id} shown={k} onDismiss={() => setKeys((all) => all.filter((x) => x.id !== k.id))} />
      ))}
      <TabList
        label={t('admin.partners.kinds')}
        selected={kind}
        onSelect={setKind}
        tabs={kinds.map((k) => ({
          key: k,
          id: `partner-tab-${k}`,
          label: t(`admin.partners.kind.${k}`),
          panelId: 'partner-panel',
        }))}
      />
      <div role="tabpanel" id="partner-panel" aria-labelledby={`partner-tab-${kind}`}>
        <PartnerForm key={kind} kind={kind} token={token} {...forms[kind]} onCreated={show} />
      </div>
      <PartnersList token={token} version={version} onKey={show} />
    </section>
  );
}
