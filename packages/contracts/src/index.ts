export * from './common.schema.js';
export * from './endpoint.js';
export * from './permission.js';
