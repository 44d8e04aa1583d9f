export const MINIO_VERSION: string;
/** The path of the pinned MinIO server binary, built first when missing. */
export function minioBin(version?: string): string;
