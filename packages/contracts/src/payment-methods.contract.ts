import { z } from 'zod';
import { idParams, label, NOT_EMPTY, notEmpty, uuid } from './common.schema.js';
import { endpoint } from './endpoint.js';
import { paymentMethodCode } from './sales.contract.js';

const TAG = 'sales';

export const paymentMethod = z.object({
  id: uuid,
  /** What a checkout's `other` tender names (methodCode); never changes: the clearing account is keyed by it. */
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type PaymentMethod = z.infer<typeof paymentMethod>;

export const paymentMethodListQuery = z.strictObject({ active: z.stringbool().optional() });
export type PaymentMethodListQuery = z.infer<typeof paymentMethodListQuery>;

export const createPaymentMethodInput = z.strictObject({ code: paymentMethodCode, name: label(60) });
export type CreatePaymentMethodInput = z.infer<typeof createPaymentMethodInput>;

export const updatePaymentMethodInput = z
  .strictObject({ name: label(60).optional(), active: z.boolean().optional() })
  .refine(notEmpty, NOT_EMPTY);
export type UpdatePaymentMethodInput = z.infer<typeof updatePaymentMethodInput>;

export const paymentMethodEndpoints = {
  listPaymentMethods: endpoint({
    method: 'GET',
    path: '/payment-methods',
    summary: "The tenant's tenders beyond cash and card (vouchers, gift cards...), by name",
    tag: TAG,
    access: 'sales.sell',
    query: paymentMethodListQuery,
    response: z.object({ items: z.array(paymentMethod) }),
  }),
  createPaymentMethod: endpoint({
    method: 'POST',
    path: '/payment-methods',
    summary: 'Add a payment method with its clearing account (409 CONFLICT when the code is taken)',
    tag: TAG,
    access: 'tenant.manage',
    body: createPaymentMethodInput,
    response: paymentMethod,
    status: 201,
  }),
  updatePaymentMethod: endpoint({
    method: 'PATCH',
    path: '/payment-methods/:id',
    summary: 'Rename, activate or deactivate a payment method (its code never changes)',
    tag: TAG,
    access: 'tenant.manage',
    params: idParams,
    body: updatePaymentMethodInput,
    response: paymentMethod,
  }),
};
