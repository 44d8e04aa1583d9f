// The API fuzzed from its own OpenAPI document by schemathesis (pinned, scripts/lib/schemathesis.mjs): every
// operation the document lists, so a route added later is fuzzed without anyone remembering to. The API runs on
// the test PostgreSQL on a real port; schemathesis acts once as each role, each on a fresh tenant of its own (the
// owner's run changes users and settings). Any failed check fails the test; the CLI output printed with it holds
// a curl command reproducing each failure.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TestTenant } from '../test/fixtures.js';
import { populateTenant, type TenantRecords } from '../test/tenant-scenario.js';
import { createTestApp } from '../test/test-app.js';
import { startTestSmtp, type TestSmtp } from '../test/test-smtp.js';
import { fuzzSettings, runSchemathesis } from '../test/schemathesis-run.js';

/** What every response must pass. */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'content_type_conformance',
];
const { maxExamples, maxSecondsPerRole, seed } = fuzzSettings;

describe(`the OpenAPI fuzzer (schemathesis, seed ${seed})`, () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  let work: string;
  let document: string;
  let operations: string[];
  let smtp: TestSmtp;

  beforeAll(async () => {
    // A real SMTP server, so an emailed receipt is queued and sent, and a folder for report exports (without
    // them the API answers 503).
    smtp = await startTestSmtp();
    work = await mkdtemp(join(tmpdir(), 'zakpos-fuzz-'));
    app = await createTestApp({ SMTP_URL: smtp.url, EXPORTS_DIR: join(work, 'exports') });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    // From a file: loaded from its URL, schemathesis leaves out the operation serving the document.
    const doc = (await (await fetch(`${baseUrl}/docs/openapi.json`)).json()) as OpenApiPaths;
    document = join(work, 'openapi.json');
    await writeFile(document, JSON.stringify(doc));
    operations = operationsOf(doc);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const role of ['owner', 'manager', 'cashier'] as const) {
    it(`as the ${role} of a fresh tenant: no 5xx, every status documented, responses match their schemas`, async () => {
      const tenant = await createTenant(app);
      const config = join(work, `${role}.toml`);
      await writeFile(config, fuzzConfig(tenant, await populateTenant(app, tenant)));
      const run = await runSchemathesis(
        config,
        [
          document,
          '--url',
          baseUrl,
          '--header',
          `Authorization: Bearer ${tenant[role].token}`,
          '--checks',
          CHECKS.join(','),
          '--phases',
          'examples,coverage,fuzzing',
          '--max-examples',
          String(maxExamples),
          '--max-time',
          String(maxSecondsPerRole),
          '--seed',
          String(seed),
          // No example database in the work tree: a run is replayed by its seed.
          '--generation-database',
          'none',
          '--workers',
          '1',
          '--no-color',
        ],
        join(work, `${role}.ndjson`),
      );
      console.log(
        `fuzz as ${role}: ${run.operations.length} operations, ${run.cases} cases, ${run.checks} checks, ` +
          `${run.failures.length} failures (seed ${seed})`,
      );
      expect(run.failures, run.output).toEqual([]);
      expect(run.exitCode, run.output).toBe(0);
      // Not a vacuous pass: every operation of the document got cases.
      expect(run.operations).toEqual(operations);
    });
  }
});

/**
 * schemathesis's config: half of the ids it sends in paths and bodies are the fresh tenant's real ones (each kind
 * its own list), so the cases reach the code behind the 404s; the other half stay random.
 */
function fuzzConfig(t: TestTenant, r: TenantRecords): string {
  const lists: Record<string, string[]> = {
    stores: t.storeIds,
    registers: t.registerIds,
    users: [t.owner.id, t.manager.id, t.cashier.id],
    products: [r.productId],
    barcodes: [r.barcode],
    categories: [r.categoryId],
    taxCategories: [r.taxCategoryId],
    transfers: [r.transferId],
    counts: [r.countId],
    customers: [r.customerId],
    accounts: [r.accountId],
    carts: [r.cartId],
    cartLines: [r.cartLineId],
    cashSessions: [r.cashSessionId],
    paymentMethods: [r.paymentMethodId],
    paymentMethodCodes: ['voucher'],
    sales: [r.saleId, r.voidedSaleId],
    refunds: [r.refundId],
    reportExports: [r.reportExportId],
  };
  const bind = (list: string) => `{ dictionary = "${list}", probability = 0.5 }`;
  const idOf: Record<string, string> = {
    stores: 'stores',
    registers: 'registers',
    users: 'users',
    products: 'products',
    categories: 'categories',
    'tax-categories': 'taxCategories',
    transfers: 'transfers',
    counts: 'counts',
    customers: 'customers',
    'accounting/accounts': 'accounts',
    carts: 'carts',
    'cash-sessions': 'cashSessions',
    'payment-methods': 'paymentMethods',
    sales: 'sales',
    refunds: 'refunds',
    'report-exports': 'reportExports',
  };
  return [
    ...Object.entries(lists).flatMap(([name, values]) => [
      `[dictionaries.${name}]`,
      `values = [${values.map((v) => JSON.stringify(v)).join(', ')}]`,
      '',
    ]),
    '[parameters]',
    `"path.storeId" = ${bind('stores')}`,
    `"path.productId" = ${bind('products')}`,
    `"path.code" = ${bind('barcodes')}`,
    `"path.lineId" = ${bind('cartLines')}`,
    `"body.productId" = ${bind('products')}`,
    `"body.registerId" = ${bind('registers')}`,
    `"body.storeId" = ${bind('stores')}`,
    `"body.fromStoreId" = ${bind('stores')}`,
    `"body.toStoreId" = ${bind('stores')}`,
    `"body.storeIds[*]" = ${bind('stores')}`,
    `"body.categoryId" = ${bind('categories')}`,
    `"body.taxCategoryId" = ${bind('taxCategories')}`,
    `"body.productIds[*]" = ${bind('products')}`,
    `"body.lines[*].productId" = ${bind('products')}`,
    `"body.cartId" = ${bind('carts')}`,
    `"body.customerId" = ${bind('customers')}`,
    `"body.payments[*].methodCode" = ${bind('paymentMethodCodes')}`,
    `"query.storeId" = ${bind('stores')}`,
    `"query.registerId" = ${bind('registers')}`,
    `"query.cashSessionId" = ${bind('cashSessions')}`,
    '',
    ...Object.entries(idOf).flatMap(([segment, list]) => [
      '[[operations]]',
      `include-path-regex = '^/${segment}/\\{id\\}'`,
      `parameters = { "path.id" = ${bind(list)} }`,
      '',
    ]),
  ].join('\n');
}

interface OpenApiPaths {
  paths: Record<string, object>;
}

/** Every operation of the document, as schemathesis names them. */
function operationsOf(doc: OpenApiPaths): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}
