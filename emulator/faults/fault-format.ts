import type { FaultParams, FaultSpec, MsRange, Trigger } from './fault-spec.js';

/** The canonical text of a spec (what `copro fault --list` shows); parses back to the same spec. */
export function formatFaultSpec(spec: FaultSpec): string {
  const params = formatParams(spec.params);
  return `${spec.kind}@${formatTrigger(spec.trigger)}${params === '' ? '' : `:${params}`}`;
}

export function formatTrigger(trigger: Trigger): string {
  switch (trigger.type) {
    case 'now':
      return 'now';
    case 'nth':
      return `#${trigger.n}`;
    case 'rate':
      return String(trigger.p);
    case 'time':
      return `${formatRange({ minMs: trigger.minMs, maxMs: trigger.maxMs })}${trigger.repeat ? '*' : ''}`;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 && ms > 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function formatRange(range: MsRange): string {
  return range.minMs === range.maxMs ? formatMs(range.minMs) : `${formatMs(range.minMs)}..${formatMs(range.maxMs)}`;
}

function formatParams(params: FaultParams): string {
  const out: string[] = [];
  if (params.dir !== undefined) out.push(`dir=${params.dir}`);
  if (params.by !== undefined) out.push(`by=${formatRange(params.by)}`);
  if (params.for !== undefined) out.push(`for=${formatMs(params.for)}`);
  if (params.after !== undefined) out.push(`after=${formatMs(params.after)}`);
  if (params.rejoin !== undefined) out.push(`rejoin=${params.rejoin === 'never' ? 'never' : formatMs(params.rejoin)}`);
  if (params.port !== undefined) out.push(`port=${params.port}`);
  if (params.gap !== undefined) out.push(`gap=${formatMs(params.gap)}`);
  if (params.pieces !== undefined) out.push(`pieces=${params.pieces}`);
  if (params.afterOk) out.push('after-ok');
  if (params.max !== undefined) out.push(`max=${params.max}`);
  return out.join(',');
}
