export const COMPOSE_VERSION: string;
/** The path of the pinned docker-compose v2 binary, built first when missing (minutes). Throws when it cannot be. */
export function composeBin(version?: string): string;
/** Links ~/.docker/cli-plugins/docker-compose to the pinned binary, so `docker compose` runs it. */
export function linkComposePlugin(version?: string): string;
