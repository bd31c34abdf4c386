import { createConnection } from 'node:net';
import { describeEndpoint, parseControlTarget, type ControlEndpoint } from './control-endpoint.js';
import type { ControlRequest, ControlResponse } from './control-protocol.js';
import { MAX_REQUEST_BYTES } from './control-protocol.js';
import { controlSocketPath, listControlSockets, stateDirPath } from './state-dir.js';

/** Sends one request and returns the daemon's answer; every wait is bounded by `timeoutMs`. */
export function sendControlRequest(endpoint: ControlEndpoint, request: ControlRequest, timeoutMs = 5000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'unix' ? createConnection(endpoint.path) : createConnection({ host: endpoint.host, port: endpoint.port });
    let received = '';
    const timer = setTimeout(() => finish(new Error(`no answer from ${describeEndpoint(endpoint)} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | null, response?: ControlResponse): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (text: string) => {
      received += text;
      if (received.length > MAX_REQUEST_BYTES * 4) return finish(new Error('control answer too long'));
      const newline = received.indexOf('\n');
      if (newline < 0) return;
      try {
        finish(null, JSON.parse(received.slice(0, newline)) as ControlResponse);
      } catch {
        finish(new Error(`${describeEndpoint(endpoint)} did not answer in JSON: is it a copro control channel?`));
      }
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'no copro emulate is listening there' : error.message;
      finish(new Error(`cannot reach ${describeEndpoint(endpoint)}: ${why}`));
    });
    socket.once('end', () => finish(new Error(`${describeEndpoint(endpoint)} closed without answering`)));
  });
}

/** Whether a daemon answers on the endpoint (a `list` request within `timeoutMs`). */
export async function isAlive(endpoint: ControlEndpoint, timeoutMs = 1000): Promise<boolean> {
  try {
    return (await sendControlRequest(endpoint, { op: 'list' }, timeoutMs)).ok;
  } catch {
    return false;
  }
}

/** Names of the daemons that answer in the state directory. */
export async function liveDaemons(stateDir: string = stateDirPath()): Promise<string[]> {
  const names = await listControlSockets(stateDir);
  const alive = await Promise.all(names.map((name) => isAlive({ kind: 'unix', path: controlSocketPath(stateDir, name) })));
  return names.filter((_, index) => alive[index]);
}

/**
 * Where `copro fault` should talk: the `--target` given, else the only daemon running in the
 * state directory (none or several is an error naming what was found).
 */
export async function resolveControlTarget(target: string | undefined, stateDir: string = stateDirPath()): Promise<ControlEndpoint> {
  if (target !== undefined) return parseControlTarget(target, stateDir);
  const names = await liveDaemons(stateDir);
  if (names.length === 1) return { kind: 'unix', path: controlSocketPath(stateDir, names[0]) };
  if (names.length === 0) throw new Error(`no running copro emulate found in ${stateDir} (start one, or give --target)`);
  throw new Error(`several daemons are running (${names.join(', ')}): choose one with --target`);
}
