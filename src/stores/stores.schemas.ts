import { Type } from 'typebox';
import { Chain } from '../admin/admin.schemas.js';

/** A store as embedded in other answers (API.md "Conventions"). */
export const StoreRef = Type.Object({
  id: Type.Integer(),
  chain: Type.String(),
  storeNo: Type.String(),
  name: Type.String(),
  address: Type.String(),
});

export const StoreView = Type.Object({
  id: Type.Integer(),
  chain: Type.String(),
  storeNo: Type.String(),
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  district: Type.String(),
  open: Type.Boolean(),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lng: Type.Union([Type.Number(), Type.Null()]),
});

export const StoresQuery = Type.Object({
  chain: Type.Optional(Chain),
  city: Type.Optional(Type.String({ maxLength: 20 })),
  district: Type.Optional(Type.String({ maxLength: 20 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
});

export const SuccessorsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
});

export const StoresView = Type.Object({ stores: Type.Array(StoreView) });

export const StoreIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const CloseStoreBody = Type.Object({ reassignTo: Type.Integer({ minimum: 1 }) });
export const CloseStoreView = Type.Object({
  id: Type.Integer(),
  reassignedTo: Type.Integer(),
  ordersMoved: Type.Integer(),
});
