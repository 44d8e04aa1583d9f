export const MINIO_VERSION: string;
/** The path of the pinned MinIO server binary, built first when missing. */
export function minioBin(version?: string): string;
export const MC_VERSION: string;
/** The path of the pinned MinIO client binary, built first when missing. */
export function mcBin(version?: string): string;
