export const STAND_IN_LABEL: string;
export function hasStandIn(image: string): boolean;
export function ensureImage(image: string): 'local' | 'pulled' | 'stand-in' | 'built';
/** The images the stack tier starts that have a stand-in (from the Compose files and the API Dockerfile). */
export function stackImages(root: string): string[];
export const NETPROBE_IMAGE: string;
