/**
 * `tsx bench/pg-activity.ts <database url> [seconds]`: samples pg_stat_activity every 100 ms
 * during a bench run (BENCH_VERBOSE=1 prints the url) and prints what the busy backends were
 * doing or waiting on — the database side of "profile before optimising".
 */
import postgres from 'postgres';

const [url, secondsArg] = process.argv.slice(2);
if (!url) {
  console.error('usage: tsx bench/pg-activity.ts <database url> [seconds]');
  process.exit(2);
}
const sql = postgres(url, { max: 1, onnotice: () => undefined });
const samples = Math.round(Number(secondsArg ?? 5) * 10);
const seen = new Map<string, number>();
for (let i = 0; i < samples; i++) {
  const rows = await sql<{ w: string; q: string }[]>`
    select coalesce(wait_event_type || ':' || wait_event, 'on CPU') as w, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as q
    from pg_stat_activity
    where backend_type = 'client backend' and pid <> pg_backend_pid() and state not in ('idle')`;
  for (const r of rows) seen.set(`${r.w.padEnd(24)} ${r.q}`, (seen.get(`${r.w.padEnd(24)} ${r.q}`) ?? 0) + 1);
  await new Promise((r) => setTimeout(r, 100));
}
for (const [k, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${(n / samples).toFixed(2).padStart(6)}  ${k}`);
}
await sql.end();
