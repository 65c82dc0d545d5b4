import { describe, expect, it } from 'vitest';
import { CHECK_INTERVAL_MS, StockSnapshots, type StockSource } from './snapshot.js';
import { noteStockChanged } from './stock-signal.js';

function countingSource() {
  const state = { version: 1, versionCalls: 0, rowCalls: 0 };
  const source: StockSource = {
    version: async () => {
      state.versionCalls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return String(state.version);
    },
    rows: async () => {
      state.rowCalls += 1;
      return [
        {
          code: '5901000001',
          name: 'x',
          address: 'y',
          phone: 'z',
          adult: state.version,
          child: 0,
          updatedAt: new Date('2020-03-15T00:00:00Z'),
          lat: null,
          lng: null,
        },
      ];
    },
  };
  return { state, source };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('open-data snapshot', () => {
  it('1000 concurrent readers cost one version check and one build', async () => {
    const { state, source } = countingSource();
    const snapshots = new StockSnapshots(source);
    const all = await Promise.all(Array.from({ length: 1000 }, () => snapshots.get()));
    expect(new Set(all).size).toBe(1);
    expect(state).toMatchObject({ versionCalls: 1, rowCalls: 1 });
    await Promise.all(Array.from({ length: 1000 }, () => snapshots.get()));
    expect(state).toMatchObject({ versionCalls: 1, rowCalls: 1 });
  });

  it('checks again after the interval and rebuilds only when the version changed', async () => {
    const { state, source } = countingSource();
    const snapshots = new StockSnapshots(source);
    const first = await snapshots.get();
    await wait(CHECK_INTERVAL_MS + 20);
    expect(await snapshots.get()).toBe(first);
    expect(state).toMatchObject({ versionCalls: 2, rowCalls: 1 });
    state.version = 2;
    expect(await snapshots.get()).toBe(first); // within the interval: not asked
    await wait(CHECK_INTERVAL_MS + 20);
    const second = await snapshots.get();
    expect(second).not.toBe(first);
    expect(second.csv.body.toString()).toContain(',2,0,');
    expect(state).toMatchObject({ versionCalls: 3, rowCalls: 2 });
  });

  it('a write through this process makes the next read check at once', async () => {
    const { state, source } = countingSource();
    const snapshots = new StockSnapshots(source);
    await snapshots.get();
    state.version = 5;
    noteStockChanged();
    const fresh = await snapshots.get();
    expect(fresh.csv.body.toString()).toContain(',5,0,');
    expect(state).toMatchObject({ versionCalls: 2, rowCalls: 2 });
  });
});
