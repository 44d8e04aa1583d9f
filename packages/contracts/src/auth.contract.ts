import { z } from 'zod';
import {
  currencyCode,
  emailAddress,
  label,
  okResponse,
  password,
  text,
  timeZone,
  uuid,
} from './common.schema.js';
import { endpoint } from './endpoint.js';
import { roles } from './permission.js';

/** A cashier's register PIN: 4 to 6 digits. */
export const pinCode = text().regex(/^[0-9]{4,6}$/, 'must be 4 to 6 digits');

/** A password being checked (login, re-authentication): any length a stored one could have. */
export const givenPassword = text().min(1).max(200);

/** `<tenantId>.<secret>`: opaque to clients. */
const refreshToken = text().min(1).max(200);

const storeCode = text()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,19}$/, 'must be 1–20 characters: capital letters, digits, - and _');

export const signupInput = z.strictObject({
  tenant: z.strictObject({
    name: label(),
    currency: currencyCode,
    locale: text()
      .min(2)
      .max(35)
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en-US')
      .optional(),
    pricesIncludeTax: z.boolean().default(true),
  }),
  owner: z.strictObject({ name: label(), email: emailAddress, password }),
  store: z.strictObject({ name: label(), code: storeCode, timeZone: timeZone.default('UTC') }),
  register: z.strictObject({ name: label() }),
});
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.strictObject({ email: emailAddress, password: givenPassword });
export type LoginInput = z.infer<typeof loginInput>;

export const pinLoginInput = z.strictObject({ tenantId: uuid, registerId: uuid, userId: uuid, pin: pinCode });
export type PinLoginInput = z.infer<typeof pinLoginInput>;

export const refreshInput = z.strictObject({ refreshToken });
export type RefreshInput = z.infer<typeof refreshInput>;

export const logoutInput = z.strictObject({ refreshToken });
export type LogoutInput = z.infer<typeof logoutInput>;

export const changePasswordInput = z.strictObject({ currentPassword: givenPassword, newPassword: password });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const setPinInput = z.strictObject({ currentPassword: givenPassword, pin: pinCode });
export type SetPinInput = z.infer<typeof setPinInput>;

export const authUser = z.object({
  id: uuid,
  tenantId: uuid,
  role: z.enum(roles),
  name: z.string(),
  email: z.string(),
  /** null: every store (owners). */
  storeIds: z.array(uuid).nullable(),
});
export type AuthUser = z.infer<typeof authUser>;

export const session = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: authUser,
});
export type Session = z.infer<typeof session>;

export const pinSession = session.extend({ registerId: uuid });
export type PinSession = z.infer<typeof pinSession>;

export const signupResult = session.extend({ tenantId: uuid, storeId: uuid, registerId: uuid });
export type SignupResult = z.infer<typeof signupResult>;

export const me = authUser.extend({ registerId: uuid.nullable() });
export type Me = z.infer<typeof me>;

export const authEndpoints = {
  signup: endpoint({
    method: 'POST',
    path: '/auth/signup',
    summary: 'Create a tenant with its owner, first store and first register',
    tag: 'auth',
    access: 'public',
    body: signupInput,
    response: signupResult,
    status: 201,
  }),
  login: endpoint({
    method: 'POST',
    path: '/auth/login',
    summary: 'Log in with email and password',
    tag: 'auth',
    access: 'public',
    body: loginInput,
    response: session,
    errorStatuses: [401],
  }),
  pinLogin: endpoint({
    method: 'POST',
    path: '/auth/pin',
    summary:
      'Log in on a register with a PIN: a register session, bound to that register, that may sell but never administer',
    tag: 'auth',
    access: 'public',
    body: pinLoginInput,
    response: pinSession,
    // 403: the user may not work on this register (another store).
    errorStatuses: [401, 403],
  }),
  refresh: endpoint({
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for a new token pair (the old one stops working)',
    tag: 'auth',
    access: 'public',
    body: refreshInput,
    response: session,
    errorStatuses: [401],
  }),
  logout: endpoint({
    method: 'POST',
    path: '/auth/logout',
    summary: 'Revoke a refresh token and every token rotated from the same login',
    tag: 'auth',
    access: 'authenticated',
    body: logoutInput,
    response: okResponse,
  }),
  changePassword: endpoint({
    method: 'POST',
    path: '/auth/password',
    summary: 'Change your password; every session of yours must log in again',
    tag: 'auth',
    access: 'authenticated',
    body: changePasswordInput,
    response: okResponse,
  }),
  setPin: endpoint({
    method: 'PUT',
    path: '/auth/pin',
    summary: 'Set your own register PIN (needs your password)',
    tag: 'auth',
    access: 'authenticated',
    body: setPinInput,
    response: okResponse,
  }),
  me: endpoint({
    method: 'GET',
    path: '/auth/me',
    summary: 'Who the access token belongs to',
    tag: 'auth',
    access: 'authenticated',
    response: me,
  }),
};
