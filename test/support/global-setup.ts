import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../src/platform/db.js';
import { startEmbeddedPostgres } from '../../src/platform/embedded-db.js';
import { migrate } from '../../src/platform/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
  }
}

export const TEMPLATE_DB = 'platform_template';

/**
 * One PostgreSQL server for the whole run (embedded, or TEST_DATABASE_URL), migrated once into
 * a template database that each test file clones (CREATE DATABASE … TEMPLATE …).
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  if (!serverUrl) {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rationing-test-'));
    await fs.chmod(tmp, 0o755);
    const db = await startEmbeddedPostgres({
      dataDir: tmp,
      // A throw-away cluster: durability settings off for speed.
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    serverUrl = db.url;
    stop = db.stop;
  }
  const admin = createSql(serverUrl, { max: 1 });
  await admin.unsafe(`drop database if exists ${TEMPLATE_DB}`);
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  const template = createSql(serverUrl.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`), { max: 1 });
  await migrate(template);
  await template.end();
  await admin.end();
  project.provide('serverUrl', serverUrl);
  project.provide('templateDb', TEMPLATE_DB);
  return async () => {
    await stop?.();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  };
}
