// Types of kafka.mjs, for the TypeScript tests that use it.
import type { ChildProcess, StdioOptions } from 'node:child_process';

export const KAFKA_VERSION: string;
export const BROKER_STARTED: string;
export const MAIN: {
  broker: string;
  storage: string;
  topics: string;
  producer: string;
  consumer: string;
};
export interface ToolResult {
  status: number | string | null;
  stdout: string;
  stderr: string;
}
export function kafkaLibsDir(version?: string): string;
export function ensureKafkaLibs(version?: string): string;
export function javaArgs(
  libs: string,
  mainClass: string,
  args: string[],
  options?: { heap?: string; logLevel?: string },
): string[];
export function runKafkaTool(
  libs: string,
  mainClass: string,
  args: string[],
  options?: { input?: string; timeoutMs?: number },
): Promise<ToolResult>;
export function formatStorage(libs: string, configPath: string, clusterId: string): Promise<ToolResult>;
export function randomClusterId(libs: string): string;
export function startBroker(
  libs: string,
  configPath: string,
  options?: { stdio?: StdioOptions; heap?: string },
): ChildProcess;
export function writeToolWrapper(libs: string, mainClass: string, path: string): string;
