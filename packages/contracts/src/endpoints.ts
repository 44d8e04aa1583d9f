import { authEndpoints } from './auth.contract.js';
import { catalogEndpoints } from './catalog.contract.js';
import type { Endpoint } from './endpoint.js';
import { inventoryEndpoints } from './inventory.contract.js';
import { opsEndpoints } from './ops.contract.js';
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
  ops: opsEndpoints,
};

export const allEndpoints: Endpoint[] = Object.values(endpointGroups).flatMap((group) =>
  Object.values(group),
);
