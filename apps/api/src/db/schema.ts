import type { CatalogTables } from '../catalog/catalog.tables.js';
import type { CoreTables } from './core.tables.js';

/** Every table the API can query, assembled from each module's table types. */
export interface DB extends CoreTables, CatalogTables {}
