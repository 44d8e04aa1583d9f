import type { AccountingTables } from '../accounting/accounting.tables.js';
import type { AuthTables } from '../auth/auth.tables.js';
import type { CartsTables } from '../carts/carts.tables.js';
import type { CatalogTables } from '../catalog/catalog.tables.js';
import type { CustomersTables } from '../customers/customers.tables.js';
import type { CashTables } from '../cash/cash.tables.js';
import type { EventsTables } from '../events/events.tables.js';
import type { InventoryTables } from '../inventory/inventory.tables.js';
import type { ReceiptsTables } from '../receipts/receipts.tables.js';
import type { ReportExportsTables } from '../reports/report-exports.tables.js';
import type { RefundsTables } from '../refunds/refunds.tables.js';
import type { SalesTables } from '../sales/sales.tables.js';
import type { CoreTables } from './core.tables.js';

/** Every table the API can query, assembled from each module's table types. */
export interface DB
  extends
    CoreTables,
    CatalogTables,
    AuthTables,
    InventoryTables,
    CustomersTables,
    AccountingTables,
    CartsTables,
    CashTables,
    SalesTables,
    ReceiptsTables,
    RefundsTables,
    ReportExportsTables,
    EventsTables {}
