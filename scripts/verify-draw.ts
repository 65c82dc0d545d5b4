/**
 * Re-run an eMask draw from its public export and say whether the published winners are the
 * right ones (docs/DRAW.md).
 *
 *   curl -o export.csv http://<host>/api/v1/rounds/<id>/draw/export.csv
 *   curl http://<host>/api/v1/rounds/<id>/draw        # gives seed and supplyPacks
 *   node dist/scripts/verify-draw.js export.csv <seed> <supplyPacks>
 *
 * Exit code 0 when every order's selected flag is what the lottery gives, 1 when not, 2 on
 * wrong usage or an unreadable file.
 */
import { readFile } from 'node:fs/promises';
import { verifyDrawExport } from '../src/draw/lottery.js';

async function main(argv: string[]): Promise<number> {
  const [file, seed, supply] = argv;
  if (!file || !seed || !supply || !/^\d+$/.test(supply) || Number(supply) < 1) {
    console.error('usage: node dist/scripts/verify-draw.js <export.csv> <seed hex> <supplyPacks>');
    return 2;
  }
  const csv = await readFile(file, 'utf8');
  const result = verifyDrawExport(csv, seed, Number(supply));
  console.log(
    `${result.orders} orders, ${result.selected} marked selected, ${result.expectedSelected} selected by recomputation`,
  );
  if (result.matches) {
    console.log('MATCH: the published winners are exactly the ones the seed gives.');
    return 0;
  }
  console.log(
    `MISMATCH: ${result.missing.length} winners not marked, ${result.unexpected.length} marked wrongly.`,
  );
  if (result.missing.length > 0)
    console.log(`  should be selected: ${result.missing.slice(0, 20).join(', ')}`);
  if (result.unexpected.length > 0)
    console.log(`  should not be selected: ${result.unexpected.slice(0, 20).join(', ')}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
