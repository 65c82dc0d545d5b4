import { loadDemoData } from '../../../src/demo/load-demo-data.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { client } from '../../support/http.js';

export interface DemoPerson {
  key: string;
  name: string;
  nationalId: string;
  nationalIdMasked: string;
  lastDigitParity: 'odd' | 'even';
  birthDate: string;
  cardNo: string;
  cardLast4: string;
  privateKeyPem: string;
  email: string;
  phone: string | null;
  expectedPhoneCheck: string | null;
  note: string;
}
export interface DemoData {
  people: DemoPerson[];
  pharmacies: { code: string; name: string; city: string; apiKey: string }[];
  stores: {
    id: number;
    chain: string;
    storeNo: string;
    name: string;
    city: string;
    district: string;
    apiKey: string;
  }[];
}

/** The app as the acceptance suite runs it, plus the demo data set the UI's demo mode offers. */
export async function startDemoApp(): Promise<{
  app: TestApp;
  demo: DemoData;
  api: ReturnType<typeof client>;
}> {
  const app = await startTestApp();
  await loadDemoData(app.deps);
  const api = client(app.url);
  const res = await api.get<DemoData>('/api/v1/sim/demo-data');
  if (res.status !== 200) throw new Error(`demo data: ${res.status} ${res.text}`);
  return { app, demo: res.body, api };
}

export async function setClock(api: ReturnType<typeof client>, iso: string): Promise<void> {
  const res = await api.put('/api/v1/sim/clock', { now: iso });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${res.text}`);
}
