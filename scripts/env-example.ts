/**
 * Writes `.env.example` from the configuration schema (src/platform/config.ts, EnvSchema): every
 * variable the process reads, its meaning, what is allowed and its default.
 *
 *   npx tsx scripts/env-example.ts
 *
 * src/platform/config.test.ts fails while the file and the schema disagree.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envExample } from '../src/platform/config.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.env.example');
writeFileSync(file, envExample());
console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
