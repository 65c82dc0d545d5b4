/**
 * Writes `.env.example` from the configuration schema (src/platform/config.ts, EnvSchema): every
 * variable the process reads, its meaning, what is allowed and its default.
 *
 *   npx tsx scripts/env-example.ts      (or, after npm run build: node dist/scripts/env-example.js)
 *
 * src/platform/config.test.ts fails while the file and the schema disagree.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envExample } from '../src/platform/config.js';

// The project root: the nearest folder above holding package.json (scripts/ under tsx, dist/scripts/ compiled).
let root = path.dirname(fileURLToPath(import.meta.url));
while (!existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
const file = path.join(root, '.env.example');
writeFileSync(file, envExample());
console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
