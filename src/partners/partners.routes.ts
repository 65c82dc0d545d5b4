import type { App } from '../platform/app-type.js';
import { adminOf, requireAdmin } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { revokePartnerKey, rotatePartnerKey } from './partner-keys.js';
import { findPartners, type PartnerRow } from './partners.repo.js';
import {
  PartnerParams,
  PartnersQuery,
  PartnersView,
  RevokedKeysView,
  RotatedKeyView,
} from './partners.schemas.js';

function partnerView(row: PartnerRow) {
  return {
    kind: row.kind,
    id: row.id,
    name: row.name,
    chain: row.chain,
    storeNo: row.store_no,
    city: row.city,
    district: row.district,
    open: row.open,
    keys: {
      active: row.active,
      revoked: row.revoked,
      lastIssuedAt: row.last_issued_at?.toISOString() ?? null,
      lastRevokedAt: row.last_revoked_at?.toISOString() ?? null,
    },
  };
}

/** Operators' view of partners (pharmacies, stores, airport counters) and their API keys. */
export async function partnersRoutes(app: App, deps: Deps): Promise<void> {
  const admin = { preHandler: requireAdmin(deps) };
  const tags = ['operators'];
  const security = [{ bearer: [] }];

  app.get(
    '/api/v1/admin/partners',
    {
      ...admin,
      schema: {
        tags,
        security,
        description:
          'Pharmacies, convenience stores and airport counters in name order, each with the state of its API keys (never the keys). `q` matches part of the name or the exact code, id or store number; `kind` narrows to one kind.',
        querystring: PartnersQuery,
        response: { 200: PartnersView },
      },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const rows = await findPartners(deps.sql, {
        kind: request.query.kind,
        q: request.query.q,
        page,
        pageSize,
      });
      return { partners: rows.map(partnerView), total: rows[0]?.total ?? 0, page, pageSize };
    },
  );

  app.post(
    '/api/v1/admin/partners/:kind/:id/key',
    {
      ...admin,
      ...noStore,
      schema: {
        tags,
        security,
        description:
          'Rotate: every key of the partner stops working and a new one is issued, shown in this answer only (201). Audited. Concurrent rotations leave exactly one working key. Not replayed by Idempotency-Key: if the answer is lost, rotate again. Unknown partner: 404 UNKNOWN_PHARMACY / UNKNOWN_STORE / UNKNOWN_COUNTER.',
        params: PartnerParams,
        response: { 201: RotatedKeyView },
      },
    },
    async (request, reply) => {
      const { kind, id } = request.params;
      return reply.status(201).send(await rotatePartnerKey(kind, id, deps, adminOf(request).username));
    },
  );

  app.delete(
    '/api/v1/admin/partners/:kind/:id/key',
    {
      ...admin,
      schema: {
        tags,
        security,
        description:
          'Revoke: every key of the partner stops working from the next request on (200, with how many). Audited; revoking a partner with no working key is not an error (revokedKeys 0). Rotate to give it a key again.',
        params: PartnerParams,
        response: { 200: RevokedKeysView },
      },
    },
    async (request) => {
      const { kind, id } = request.params;
      return revokePartnerKey(kind, id, deps, adminOf(request).username);
    },
  );
}
