import { parseListenSpec } from '../transport/listen-spec.js';
import { controlSocketPath, isDaemonName } from './state-dir.js';

/** Where a control channel listens / is reached. */
export type ControlEndpoint =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export function describeEndpoint(endpoint: ControlEndpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  return `tcp://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

const PORT_SPEC = /^(\[[0-9a-fA-F:.]+\]:|[^\s:/[\]]+:)?\d{1,5}$/;

/**
 * The daemon's `--control` value: `none`; `unix` (the default: `<state dir>/<name>.sock`); a
 * socket path (contains `/`); or `[HOST:]PORT` for TCP, 127.0.0.1 unless a host is given.
 */
export function parseControlListen(spec: string, stateDir: string, name: string): ControlEndpoint | null {
  if (spec === 'none') return null;
  if (spec === 'unix') return { kind: 'unix', path: controlSocketPath(stateDir, name) };
  if (spec.includes('/') && !spec.startsWith('tcp://')) return { kind: 'unix', path: spec };
  const text = spec.startsWith('tcp://') ? spec.slice('tcp://'.length) : spec;
  if (!PORT_SPEC.test(text)) throw new Error(`invalid --control ${JSON.stringify(spec)}: none, unix, a socket path or [HOST:]PORT`);
  const { host, port } = parseListenSpec(text);
  return { kind: 'tcp', host, port };
}

/** `copro fault --target`: a daemon name, a socket path, `[HOST:]PORT` or `tcp://HOST:PORT`. */
export function parseControlTarget(target: string, stateDir: string): ControlEndpoint {
  if (target.startsWith('tcp://') || PORT_SPEC.test(target)) {
    const { host, port } = parseListenSpec(target.replace(/^tcp:\/\//, ''));
    if (port === 0) throw new Error('a control port cannot be 0');
    return { kind: 'tcp', host, port };
  }
  if (target.includes('/')) return { kind: 'unix', path: target };
  if (!isDaemonName(target)) throw new Error(`invalid target ${JSON.stringify(target)}: a daemon name, socket path or [HOST:]PORT`);
  return { kind: 'unix', path: controlSocketPath(stateDir, target) };
}
