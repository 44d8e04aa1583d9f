import { accountingEndpoints } from './accounting.contract.js';
import { authEndpoints } from './auth.contract.js';
import { cashEndpoints } from './cash.contract.js';
import { cashReportEndpoints } from './cash-reports.contract.js';
import { cartEndpoints } from './carts.contract.js';
import { catalogEndpoints } from './catalog.contract.js';
import { customerEndpoints } from './customers.contract.js';
import type { Endpoint, HttpMethod } from './endpoint.js';
import { inventoryEndpoints } from './inventory.contract.js';
import { opsEndpoints } from './ops.contract.js';
import { matchPath } from './path.js';
import { paymentMethodEndpoints } from './payment-methods.contract.js';
import { refundEndpoints } from './refunds.contract.js';
import { receiptEndpoints } from './receipts.contract.js';
import { reportExportEndpoints } from './report-exports.contract.js';
import { reportEndpoints } from './reports.contract.js';
import { salesEndpoints } from './sales.contract.js';
import { tenancyEndpoints } from './tenancy.contract.js';

/**
 * Every module's endpoints, by module name. The OpenAPI document and the route tests walk this:
 * a new module's contract is added here with one line (and its import).
 */
export const endpointGroups: Record<string, Record<string, Endpoint>> = {
  auth: authEndpoints,
  tenancy: tenancyEndpoints,
  catalog: catalogEndpoints,
  inventory: inventoryEndpoints,
  customers: customerEndpoints,
  carts: cartEndpoints,
  accounting: accountingEndpoints,
  cash: cashEndpoints,
  cashReports: cashReportEndpoints,
  sales: salesEndpoints,
  receipts: receiptEndpoints,
  refunds: refundEndpoints,
  paymentMethods: paymentMethodEndpoints,
  reports: reportEndpoints,
  reportExports: reportExportEndpoints,
  ops: opsEndpoints,
};

export const allEndpoints: Endpoint[] = Object.values(endpointGroups).flatMap((group) =>
  Object.values(group),
);

/**
 * The endpoint serving `method path` (path without its query string), as Fastify would route it: where
 * several patterns match, the one with more literal segments wins (`/stores/:id/stock/low` over
 * `/stores/:id/stock/:productId`).
 */
export function endpointFor(
  method: HttpMethod,
  path: string,
  endpoints: Endpoint[] = allEndpoints,
): Endpoint | undefined {
  const literals = (e: Endpoint) => e.path.split('/').filter((s) => s && !s.startsWith(':')).length;
  return endpoints
    .filter((e) => e.method === method && matchPath(e.path, path))
    .sort((a, b) => literals(b) - literals(a))[0];
}
