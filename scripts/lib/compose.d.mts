export const COMPOSE_VERSION: string;
export const GO_TOOLCHAIN_VERSION: string;
/** bin/go of the pinned Go toolchain in the cache, fetched from the Go module proxy first when missing. */
export function goToolchain(version?: string, h1?: string): string;
/** A Go >= 1.21: `go` when PATH has one, otherwise the pinned toolchain (fetched once). */
export function goBin(): string;
/** The path of the pinned docker-compose v2 binary, built first when missing (minutes). Throws when it cannot be. */
export function composeBin(version?: string): string;
/** Links ~/.docker/cli-plugins/docker-compose to the pinned binary, so `docker compose` runs it. */
export function linkComposePlugin(version?: string): string;
