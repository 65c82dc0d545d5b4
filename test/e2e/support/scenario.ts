import { beforeAll } from 'vitest';
import { loadDemoData } from '../../../src/demo/load-demo-data.js';
import { setUpTestApp, type TestAppHandle } from '../../support/fixture.js';
import type { Client } from '../../support/http.js';

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

/**
 * The app as the acceptance suite runs it (`setUpTestApp`, for the describe block it is called
 * in), with the demo data set loaded; `demo` is what the UI's demo mode offers, read in its own
 * `beforeAll`.
 */
export function setUpDemoApp(): { app: TestAppHandle; api: Client; readonly demo: DemoData } {
  const app = setUpTestApp();
  let demo: DemoData | undefined;
  beforeAll(async () => {
    await loadDemoData(app.deps);
    const res = await app.api.get<DemoData>('/api/v1/sim/demo-data');
    if (res.status !== 200) throw new Error(`demo data: ${res.status} ${res.text}`);
    demo = res.body;
  });
  return {
    app,
    api: app.api,
    get demo() {
      if (!demo) throw new Error('setUpDemoApp: the demo data is read in beforeAll');
      return demo;
    },
  };
}

export async function setClock(api: Client, iso: string): Promise<void> {
  const res = await api.put('/api/v1/sim/clock', { now: iso });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${res.text}`);
}
