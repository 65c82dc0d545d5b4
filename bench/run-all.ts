/** `npm run bench`: every scenario of issue 7 in turn, then the multi-process scaling run. */
import { scenarios } from './scenarios.js';

for (const [name, run] of Object.entries(scenarios)) {
  console.log(`\n==================== ${name} ====================`);
  await run();
}
process.exit(0);
