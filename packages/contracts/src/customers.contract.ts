import { z } from 'zod';
import { idParams, label, NOT_EMPTY, notEmpty, page, pageQuery, text, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';

const TAG = 'customers';

const PHONE_SEPARATORS = /[\s().\-/]/g;

/**
 * A phone number as the till types it: an optional leading `+`, then 4–20 digits, which may be grouped
 * by spaces, hyphens, dots, slashes or parentheses ("+49 (151) 234-5678"). Stored and returned
 * normalised, separators removed ("+491512345678"); a number is unique per tenant in that form. No
 * country is assumed: "0151…" and "+49151…" are kept as typed, two different numbers.
 */
export const phoneNumber = text()
  .trim()
  .max(40)
  .regex(/^\+?[0-9\s().\-/]+$/, 'digits with an optional leading +; spaces, - . / ( ) may group them')
  .transform((value, ctx) => {
    const normalised = value.replace(PHONE_SEPARATORS, '');
    if (!/^\+?[0-9]{4,20}$/.test(normalised)) {
      ctx.addIssue({ code: 'custom', message: 'must have 4 to 20 digits, with + only at the start' });
      return z.NEVER;
    }
    return normalised;
  });

/** Stored lower-cased; unique per tenant. */
export const customerEmail = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const createCustomerInput = z.strictObject({
  name: label(200),
  phone: phoneNumber.nullable().optional(),
  email: customerEmail.nullable().optional(),
  note: text().trim().min(1).max(1000).nullable().optional(),
});
export type CreateCustomerInput = z.infer<typeof createCustomerInput>;

/** Only the fields sent change; null clears phone, email or note. */
export const updateCustomerInput = createCustomerInput.partial().refine(notEmpty, NOT_EMPTY);
export type UpdateCustomerInput = z.infer<typeof updateCustomerInput>;

export const customer = z.object({
  id: uuid,
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customer>;

export const customerListQuery = z.strictObject({
  ...pageQuery.shape,
  /**
   * Every word must begin a word of the name, the email or the phone's digits, case- and accent-blind;
   * a query that looks like a phone number also matches the phones it begins ("+49 151 23").
   */
  q: text()
    .trim()
    .max(100)
    .optional()
    .transform((q) => q || undefined),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

export const customerEndpoints = {
  listCustomers: endpoint({
    method: 'GET',
    path: '/customers',
    summary: 'List and search customers (name, email or phone prefix), cursor-paginated by name',
    tag: TAG,
    access: 'customers.read',
    query: customerListQuery,
    response: page(customer),
  }),
  getCustomer: endpoint({
    method: 'GET',
    path: '/customers/:id',
    summary: 'Get a customer',
    tag: TAG,
    access: 'customers.read',
    params: idParams,
    response: customer,
  }),
  createCustomer: endpoint({
    method: 'POST',
    path: '/customers',
    summary: 'Create a customer; email and phone are unique per tenant (409 naming the field)',
    tag: TAG,
    access: 'customers.write',
    body: createCustomerInput,
    response: customer,
    status: 201,
  }),
  updateCustomer: endpoint({
    method: 'PATCH',
    path: '/customers/:id',
    summary: 'Change a customer; null clears phone, email or note',
    tag: TAG,
    access: 'customers.write',
    params: idParams,
    body: updateCustomerInput,
    response: customer,
  }),
};
