import type { FaultInjector } from '../faults/injector.js';
import { isFaultKind, type FaultKind } from '../faults/fault-spec.js';
import type { ControlHandler } from './control-server.js';
import type { ControlResponse, ModuleInfo } from './control-protocol.js';

/** Answers control requests with one module's fault injector. */
export function faultControlHandler(faults: FaultInjector, module: ModuleInfo): ControlHandler {
  return (request): ControlResponse => {
    switch (request.op) {
      case 'fault': {
        // All or nothing would need a dry run; specs apply in order and the first bad one stops the rest.
        const results: string[] = [];
        for (const spec of request.specs) {
          try {
            results.push(faults.apply(spec));
          } catch (error) {
            const done = results.length > 0 ? ` (applied before it: ${results.join('; ')})` : '';
            return { ok: false, error: `${(error as Error).message}${done}` };
          }
        }
        return { ok: true, results };
      }
      case 'clear': {
        const kinds = request.kinds;
        const unknown = kinds?.filter((kind) => !isFaultKind(kind));
        if (unknown && unknown.length > 0) return { ok: false, error: `unknown fault kind ${unknown.join(', ')}` };
        return { ok: true, cleared: faults.clear(kinds as FaultKind[] | undefined) };
      }
      case 'seed':
        faults.reseed(request.seed);
        return { ok: true, status: faults.status(), module };
      case 'list':
        return { ok: true, status: faults.status(), module };
    }
  };
}
