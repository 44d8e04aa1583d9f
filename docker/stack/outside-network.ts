// A private stand-in for "an address outside the host", for proving what a Docker network lets out without a
// packet leaving the machine: a listener container with no network of its own gets one end of a veth pair as
// 203.0.113.1 (TEST-NET-3, a documentation address), the engine host keeps the other end as 203.0.113.254 and
// so routes that /24 to it. A container whose network forwards outbound traffic reaches the listener; one on an
// internal network is dropped by the engine's rules before the packet is routed anywhere.
import { randomBytes } from 'node:crypto';
import { docker } from '../../scripts/lib/docker-engine.mjs';
import { NETPROBE_IMAGE } from '../stand-ins/stand-ins.mjs';

export const OUTSIDE_ADDRESS = '203.0.113.1';
const NODE_IMAGE = 'node:26.10.0-bookworm-slim';

export interface Outside {
  /** What a container on `network` got when it connected to the outside listener: 'outside' or an error. */
  probe(network: string): string;
  remove(): void;
}

export function startOutside(): Outside {
  const tag = randomBytes(3).toString('hex');
  const name = `zakpos-outside-${tag}`;
  docker([
    'run',
    '-d',
    '--name',
    name,
    '--network',
    'none',
    NODE_IMAGE,
    'node',
    '-e',
    "require('net').createServer((s) => s.end('outside\\n')).listen(80)",
  ]);
  try {
    const pid = docker(['inspect', '--format', '{{.State.Pid}}', name]).trim();
    const [host, peer] = [`zk${tag}h`, `zk${tag}p`];
    // In the engine host's namespaces: its end of the pair, and the listener's end moved into the listener.
    docker([
      'run',
      '--rm',
      '--network',
      'host',
      '--pid',
      'host',
      '--cap-add',
      'NET_ADMIN',
      '--cap-add',
      'SYS_ADMIN',
      '--cap-add',
      'SYS_PTRACE',
      NETPROBE_IMAGE,
      'sh',
      '-ec',
      [
        `ip link add ${host} type veth peer name ${peer}`,
        `ip link set ${peer} netns ${pid}`,
        `ip addr add 203.0.113.254/24 dev ${host}`,
        `ip link set ${host} up`,
        `nsenter -t ${pid} -n ip addr add ${OUTSIDE_ADDRESS}/24 dev ${peer}`,
        `nsenter -t ${pid} -n ip link set ${peer} up`,
        `nsenter -t ${pid} -n ip route add default via 203.0.113.254`,
      ].join('\n'),
    ]);
  } catch (err) {
    docker(['rm', '-f', name]);
    throw err;
  }
  return {
    probe: (network) =>
      docker(
        [
          'run',
          '--rm',
          '--network',
          network,
          NODE_IMAGE,
          'node',
          '-e',
          `const s = require('net').connect(80, '${OUTSIDE_ADDRESS}');
           s.setTimeout(4000, () => { console.log('no answer'); process.exit(0); });
           s.on('data', (d) => { console.log(String(d).trim()); process.exit(0); });
           s.on('error', (e) => { console.log(e.code); process.exit(0); });`,
        ],
        { timeoutMs: 60_000 },
      ).trim(),
    // The pair goes with the listener's network namespace.
    remove: () => void docker(['rm', '-f', name]),
  };
}
