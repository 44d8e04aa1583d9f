/**
 * Which process this is: the API (it runs the events machinery and the jobs only with EVENTS_RUN_IN=api) or
 * the worker (always).
 */
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
export type ProcessRole = 'api' | 'worker';
