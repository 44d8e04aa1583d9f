// MinIO, the S3-compatible server report exports go to in the stack and in their tests, built once with
// `go install` (go.mjs) into the cache. The upstream project publishes no binaries or images any more
// (the community edition is source-only since late 2025); this is its last commit on the Go module proxy.
import { goInstalled } from './go.mjs';

export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
// The MinIO client, which the official image carries for its health check (`mc ready local`): the one
// version of it the Go module proxy lists.
export const MC_VERSION = 'v0.0.0-20250313080218-cf909e1063a9';

/** The path of the pinned MinIO server binary, built first when missing (about 4 minutes on 2 cores). */
export function minioBin(version = MINIO_VERSION) {
  return goInstalled({ pkg: 'github.com/minio/minio', version, name: `minio-${version}`, minGo: [1, 24] });
}

/** The path of the pinned MinIO client binary, built first when missing. */
export function mcBin(version = MC_VERSION) {
  return goInstalled({ pkg: 'github.com/minio/mc', version, name: `mc-${version}`, minGo: [1, 24] });
}
