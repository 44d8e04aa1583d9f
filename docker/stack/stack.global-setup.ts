// The stack tier's engine and images, once per run: a Docker engine that answers (dockerd started when none
// does), `docker compose` as the pinned Compose v2, and every image the stack starts, real or stand-in
// (docker/stand-ins: built once, reused while their recipe is unchanged).
import { linkComposePlugin } from '../../scripts/lib/compose.mjs';
import { ensureDockerEngine } from '../../scripts/lib/docker-engine.mjs';
import { ensureImage, stackImages } from '../stand-ins/stand-ins.mjs';
import { root } from './stack-harness.js';

export default function setup() {
  ensureDockerEngine();
  linkComposePlugin();
  for (const image of stackImages(root)) {
    const how = ensureImage(image);
    console.log(`stack image ${image}: ${how}`);
  }
}
