import { createServer } from 'node:net';

/**
 * Whether this machine can listen on the IPv6 loopback (::1): tests of IPv6 links and servers skip
 * (with this reason in their title) where it cannot, e.g. a container with IPv6 disabled.
 */
export function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port: 0, host: '::1', ipv6Only: true }, () => server.close(() => resolve(true)));
  });
}
