/** `tsx bench/run.ts <scenario>…` (package.json bench:*): runs the named scenarios in turn. */
import { scenarios } from './scenarios.js';

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !scenarios[n])) {
  console.error(`usage: tsx bench/run.ts <${Object.keys(scenarios).join('|')}>…`);
  process.exit(2);
}
for (const name of names) await scenarios[name]?.();
process.exit(0);
