/** Health checks and partners (pharmacies, stores, counters, bank) keep a reserved share of capacity. */
export function reserved(url: string): boolean {
  return (
    url.startsWith('/healthz') ||
    url.startsWith('/readyz') ||
    url.startsWith('/api/v1/pharmacies/') ||
    url.startsWith('/api/v1/stores/') ||
    url.startsWith('/api/v1/airport-counters/') ||
    url.startsWith('/api/v1/partners/')
  );
}
