import { z } from 'zod';
import { givenPassword, pinCode } from './auth.contract.js';
import {
  currencyCode,
  dateTime,
  emailAddress,
  idParams,
  label,
  NOT_EMPTY,
  notEmpty,
  page,
  pageQuery,
  password,
  text,
  timeZone,
  uuid,
} from './common.schema.js';
import { endpoint } from './endpoint.js';
import { roles } from './permission.js';

const TAG = 'tenancy';

// ---------------------------------------------------------------------------------------------
// Tenant settings

/** A BCP 47 language tag, returned in its canonical form (en-us → en-US). */
export const localeTag = text()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && canonical.length <= 35) return canonical;
    } catch {
      // RangeError: not a well-formed tag; reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en-US' });
    return z.NEVER;
  });

export const weightedBarcodePrefix = z.strictObject({
  /** EAN-13 in-store prefix: the first two digits of the barcode. */
  prefix: text().regex(/^2[0-9]$/, 'must be a prefix from 20 to 29'),
  /** What the five digits before the check digit carry: grams, or a price in minor units. */
  kind: z.enum(['weight', 'price']),
});
export type WeightedBarcodePrefix = z.infer<typeof weightedBarcodePrefix>;

export const weightedBarcodePrefixes = z
  .array(weightedBarcodePrefix)
  .max(10)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.prefix))
        ctx.addIssue({ code: 'custom', path: [i, 'prefix'], message: 'duplicate prefix' });
      seen.add(p.prefix);
    });
  });

/** Cash payments are rounded to a multiple of this many minor units (1 = no rounding, 5 = 0.05). */
export const cashRoundingIncrement = z.number().int().min(1).max(100_000);

export const tenantSettings = z.object({
  id: uuid,
  name: z.string(),
  currency: z.string(),
  locale: z.string(),
  pricesIncludeTax: z.boolean(),
  cashRoundingIncrement: z.number().int(),
  maxCashierDiscountBp: z.number().int(),
  weightedBarcodePrefixes: z.array(weightedBarcodePrefix),
  createdAt: z.iso.datetime(),
});
export type TenantSettings = z.infer<typeof tenantSettings>;

export const updateTenantInput = z
  .strictObject({
    name: label().optional(),
    /** May change while the tenant has no sales (see TenantSettingsService). */
    currency: currencyCode.optional(),
    locale: localeTag.optional(),
    pricesIncludeTax: z.boolean().optional(),
    cashRoundingIncrement: cashRoundingIncrement.optional(),
    /** The largest discount a cashier gives alone, in basis points (1000 = 10 %); beyond it a manager approves. */
    maxCashierDiscountBp: z.number().int().min(0).max(10_000).optional(),
    weightedBarcodePrefixes: weightedBarcodePrefixes.optional(),
  })
  .refine(notEmpty, NOT_EMPTY);
export type UpdateTenantInput = z.infer<typeof updateTenantInput>;

// ---------------------------------------------------------------------------------------------
// Stores

/** Short store code shown on receipts and reports; upper-cased on input. */
export const storeCodeInput = text()
  .trim()
  .toUpperCase()
  .max(20)
  .regex(
    /^[A-Z0-9][A-Z0-9_-]*$/,
    'must be capital letters, digits, - and _ (starting with a letter or digit)',
  );

export const oversellPolicy = z.enum(['allow_negative', 'refuse']);
export type OversellPolicy = z.infer<typeof oversellPolicy>;

const storeAddress = text().trim().max(500).nullable();

export const store = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  timeZone: z.string(),
  address: z.string().nullable(),
  oversellPolicy,
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Store = z.infer<typeof store>;

export const createStoreInput = z.strictObject({
  code: storeCodeInput,
  name: label(),
  timeZone: timeZone.default('UTC'),
  address: storeAddress.default(null),
  oversellPolicy: oversellPolicy.default('allow_negative'),
  active: z.boolean().default(true),
});
export type CreateStoreInput = z.infer<typeof createStoreInput>;

export const updateStoreInput = z
  .strictObject({
    code: storeCodeInput.optional(),
    name: label().optional(),
    timeZone: timeZone.optional(),
    address: storeAddress.optional(),
    oversellPolicy: oversellPolicy.optional(),
    active: z.boolean().optional(),
  })
  .refine(notEmpty, NOT_EMPTY);
export type UpdateStoreInput = z.infer<typeof updateStoreInput>;

export const storeList = z.object({ items: z.array(store) });

// ---------------------------------------------------------------------------------------------
// Registers

export const register = z.object({
  id: uuid,
  storeId: uuid,
  name: z.string(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Register = z.infer<typeof register>;

export const storeIdParams = z.strictObject({ storeId: uuid });
export type StoreIdParams = z.infer<typeof storeIdParams>;

export const createRegisterInput = z.strictObject({ name: label(), active: z.boolean().default(true) });
export type CreateRegisterInput = z.infer<typeof createRegisterInput>;

export const updateRegisterInput = z
  .strictObject({ name: label().optional(), active: z.boolean().optional() })
  .refine(notEmpty, NOT_EMPTY);
export type UpdateRegisterInput = z.infer<typeof updateRegisterInput>;

export const registerList = z.object({ items: z.array(register) });

// ---------------------------------------------------------------------------------------------
// Users

export const userRole = z.enum(roles);

/** Stores a manager or cashier works in; duplicates are dropped. */
export const userStoreIds = z
  .array(uuid)
  .min(1)
  .max(200)
  .transform((ids) => [...new Set(ids)]);

export const tenantUser = z.object({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role: userRole,
  /** null for owners: every store. */
  storeIds: z.array(uuid).nullable(),
  active: z.boolean(),
  hasPin: z.boolean(),
  passwordChangedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type TenantUser = z.infer<typeof tenantUser>;

export const createUserInput = z
  .strictObject({
    email: emailAddress,
    name: label(),
    role: userRole,
    password,
    storeIds: userStoreIds.optional(),
    pin: pinCode.optional(),
  })
  .superRefine((u, ctx) => {
    if (u.role === 'owner' && u.storeIds) {
      ctx.addIssue({
        code: 'custom',
        path: ['storeIds'],
        message: 'owners work in every store: omit storeIds',
      });
    }
    if (u.role !== 'owner' && !u.storeIds) {
      ctx.addIssue({ code: 'custom', path: ['storeIds'], message: 'required for managers and cashiers' });
    }
  });
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z
  .strictObject({
    email: emailAddress.optional(),
    name: label().optional(),
    role: userRole.optional(),
    storeIds: userStoreIds.optional(),
    active: z.boolean().optional(),
    /** A new PIN, or null to remove it. */
    pin: pinCode.nullable().optional(),
    /** Sets a new password (an administrator's reset, or your own change). */
    password: password.optional(),
    /**
     * Your current password: required to change your own password, email or PIN (so a stolen access
     * token cannot take the account over), refused when changing someone else.
     */
    currentPassword: givenPassword.optional(),
  })
  .refine(notEmpty, NOT_EMPTY);
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const listUsersQuery = pageQuery.extend({
  role: userRole.optional(),
  storeId: uuid.optional(),
  active: z.stringbool().optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const userPage = page(tenantUser);

// ---------------------------------------------------------------------------------------------
// Audit log

export const auditLogQuery = pageQuery
  .extend({
    action: text().min(1).max(100).optional(),
    entityType: text().min(1).max(100).optional(),
    /** Inclusive lower bound on `at`. */
    from: dateTime.optional(),
    /** Exclusive upper bound on `at`. */
    to: dateTime.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    path: ['to'],
    message: 'must not be before from',
  });
export type AuditLogQuery = z.infer<typeof auditLogQuery>;

export const auditEntry = z.object({
  id: uuid,
  /** ISO 8601 UTC with microseconds. */
  at: z.string(),
  actorUserId: uuid.nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditLogPage = page(auditEntry);

// ---------------------------------------------------------------------------------------------

export const tenancyEndpoints = {
  getTenant: endpoint({
    method: 'GET',
    path: '/tenant',
    summary: "The tenant's settings",
    tag: TAG,
    access: 'tenant.read',
    response: tenantSettings,
  }),
  updateTenant: endpoint({
    method: 'PATCH',
    path: '/tenant',
    summary: "Change the tenant's settings (owners)",
    tag: TAG,
    access: 'tenant.manage',
    body: updateTenantInput,
    response: tenantSettings,
  }),
  listStores: endpoint({
    method: 'GET',
    path: '/stores',
    summary: 'Stores the caller may see (managers and cashiers: their own)',
    tag: TAG,
    access: 'stores.read',
    response: storeList,
  }),
  getStore: endpoint({
    method: 'GET',
    path: '/stores/:id',
    summary: 'One store',
    tag: TAG,
    access: 'stores.read',
    params: idParams,
    response: store,
  }),
  createStore: endpoint({
    method: 'POST',
    path: '/stores',
    summary: 'Open a store',
    tag: TAG,
    access: 'stores.manage',
    body: createStoreInput,
    response: store,
    status: 201,
  }),
  updateStore: endpoint({
    method: 'PATCH',
    path: '/stores/:id',
    summary: 'Change a store',
    tag: TAG,
    access: 'stores.manage',
    params: idParams,
    body: updateStoreInput,
    response: store,
  }),
  listRegisters: endpoint({
    method: 'GET',
    path: '/stores/:storeId/registers',
    summary: "A store's registers",
    tag: TAG,
    access: 'stores.read',
    params: storeIdParams,
    response: registerList,
  }),
  createRegister: endpoint({
    method: 'POST',
    path: '/stores/:storeId/registers',
    summary: 'Add a register to a store',
    tag: TAG,
    access: 'registers.manage',
    params: storeIdParams,
    body: createRegisterInput,
    response: register,
    status: 201,
  }),
  updateRegister: endpoint({
    method: 'PATCH',
    path: '/registers/:id',
    summary: 'Rename, activate or deactivate a register',
    tag: TAG,
    access: 'registers.manage',
    params: idParams,
    body: updateRegisterInput,
    response: register,
  }),
  listUsers: endpoint({
    method: 'GET',
    path: '/users',
    summary: 'Users (managers: those of their stores), by email',
    tag: TAG,
    access: 'users.read',
    query: listUsersQuery,
    response: userPage,
  }),
  getUser: endpoint({
    method: 'GET',
    path: '/users/:id',
    summary: 'One user',
    tag: TAG,
    access: 'users.read',
    params: idParams,
    response: tenantUser,
  }),
  createUser: endpoint({
    method: 'POST',
    path: '/users',
    summary: 'Create a user (managers: cashiers of their stores only)',
    tag: TAG,
    access: 'users.manage',
    body: createUserInput,
    response: tenantUser,
    status: 201,
  }),
  updateUser: endpoint({
    method: 'PATCH',
    path: '/users/:id',
    summary:
      "Change, deactivate, re-PIN or reset the password of a user; your own password, email or PIN needs currentPassword; another user's ends their sessions",
    tag: TAG,
    access: 'users.manage',
    params: idParams,
    body: updateUserInput,
    response: tenantUser,
  }),
  listAuditLog: endpoint({
    method: 'GET',
    path: '/audit-log',
    summary: "Audit log, newest first (managers: their stores' entries, the catalog's, their stores' users')",
    tag: TAG,
    access: 'audit.read',
    query: auditLogQuery,
    response: auditLogPage,
  }),
};
