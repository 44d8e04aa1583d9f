export const GO_TOOLCHAIN_VERSION: string;
/** bin/go of the pinned Go toolchain in the cache, fetched from the Go module proxy first when missing. */
export function goToolchain(version?: string, h1?: string): string;
/** A Go >= min ([major, minor]): `go` when PATH has one, otherwise the pinned toolchain (fetched once). */
export function goBin(min: [number, number]): string;
/** The binary `name` built by `go install pkg@version` into the cache (first time only). */
export function goInstalled(tool: {
  pkg: string;
  version: string;
  name: string;
  minGo: [number, number];
}): string;
