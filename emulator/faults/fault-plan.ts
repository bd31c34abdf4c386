import { SeededRandom, deriveSeed } from './prng.js';
import { formatFaultSpec } from './fault-format.js';
import { KIND_INFO, faultKey, type FaultKind, type FaultSpec, type Opportunity } from './fault-spec.js';

/** One fault of the plan and how far along it is. */
export interface ArmedFault {
  readonly spec: FaultSpec;
  /** One armed fault per key (kind, and direction for serial faults). */
  readonly key: string;
  /** Canonical spec text. */
  readonly text: string;
  /** Chances it had (opportunities seen while armed). */
  opportunities: number;
  /** Times it fired. */
  fired: number;
  /** Decides when it fires (rate gaps, time windows). */
  readonly when: SeededRandom;
  /** Decides what it does (which bits flip, where output is cut, how long a delay is). */
  readonly what: SeededRandom;
  /** Opportunities still to pass before the next one that fires (rate and #N triggers). */
  countdown: number;
}

/**
 * The seeded fault plan: which faults are armed and, for each, when it fires next. Every fault has
 * its own two random streams derived from the seed and its key, so arming or firing one never
 * shifts another's choices: the same seed and the same traffic give the same faults.
 * The plan decides; the serial, network and module layers act.
 */
export class FaultPlan {
  private faults = new Map<string, ArmedFault>();
  private currentSeed: number;

  constructor(seed: number) {
    this.currentSeed = seed >>> 0;
  }

  get seed(): number {
    return this.currentSeed;
  }

  /** Arms a fault, replacing one with the same key; returns it. */
  arm(spec: FaultSpec): ArmedFault {
    const key = faultKey(spec);
    const fault: ArmedFault = {
      spec,
      key,
      text: formatFaultSpec(spec),
      opportunities: 0,
      fired: 0,
      when: new SeededRandom(deriveSeed(this.currentSeed, `${key}/when`)),
      what: new SeededRandom(deriveSeed(this.currentSeed, `${key}/what`)),
      countdown: 0,
    };
    fault.countdown = this.firstCountdown(fault);
    this.faults.delete(key);
    this.faults.set(key, fault);
    return fault;
  }

  /** Removes the faults of these kinds (all when absent); returns what was removed. */
  disarm(kinds?: readonly FaultKind[]): ArmedFault[] {
    const removed = [...this.faults.values()].filter((fault) => !kinds || kinds.includes(fault.spec.kind));
    for (const fault of removed) this.faults.delete(fault.key);
    return removed;
  }

  /** A new seed: every armed fault starts over with streams from it. */
  reseed(seed: number): ArmedFault[] {
    this.currentSeed = seed >>> 0;
    const specs = [...this.faults.values()].map((fault) => fault.spec);
    this.faults.clear();
    return specs.map((spec) => this.arm(spec));
  }

  armed(): ArmedFault[] {
    return [...this.faults.values()];
  }

  has(opportunity: Opportunity): boolean {
    for (const fault of this.faults.values()) {
      if (KIND_INFO[fault.spec.kind].opportunity === opportunity && !this.spent(fault)) return true;
    }
    return false;
  }

  /** The armed fault of `kind` (any key), if any. */
  find(kind: FaultKind, accept: (fault: ArmedFault) => boolean = () => true): ArmedFault | null {
    for (const fault of this.faults.values()) if (fault.spec.kind === kind && accept(fault)) return fault;
    return null;
  }

  /** One opportunity for `fault`: true when it fires now (counted). */
  chance(fault: ArmedFault): boolean {
    if (this.spent(fault) || !isCounted(fault)) return false;
    fault.opportunities++;
    if (fault.countdown > 0) {
      fault.countdown--;
      return false;
    }
    this.fire(fault);
    return true;
  }

  /**
   * `count` opportunities at once (bytes of a chunk): the offsets in [0, count) where `fault` fires.
   * The countdown carries over, so the positions do not depend on how the stream is chunked.
   */
  hits(fault: ArmedFault, count: number): number[] {
    const out: number[] = [];
    if (this.spent(fault) || !isCounted(fault) || count <= 0) return out;
    let position = fault.countdown;
    while (position < count && !this.spent(fault)) {
      out.push(position);
      this.fire(fault);
      position += 1 + fault.countdown;
    }
    fault.opportunities += count;
    fault.countdown = this.spent(fault) ? Number.POSITIVE_INFINITY : position - count;
    return out;
  }

  /** Records a firing that did not come from an opportunity (now, a timer); false if spent. */
  fireEvent(fault: ArmedFault): boolean {
    if (this.spent(fault)) return false;
    fault.fired++;
    return true;
  }

  /** When a time-triggered fault fires next, in ms from now (a random point of its window). */
  nextDelayMs(fault: ArmedFault): number | null {
    const trigger = fault.spec.trigger;
    if (trigger.type !== 'time' || this.spent(fault)) return null;
    if (!trigger.repeat && fault.fired > 0) return null;
    return fault.when.int(trigger.minMs, trigger.maxMs);
  }

  spent(fault: ArmedFault): boolean {
    const trigger = fault.spec.trigger;
    const once = trigger.type === 'nth' || (trigger.type === 'time' && !trigger.repeat);
    const max = fault.spec.params.max ?? (once ? 1 : Number.POSITIVE_INFINITY);
    return fault.fired >= max || this.faults.get(fault.key) !== fault;
  }

  private fire(fault: ArmedFault): void {
    fault.fired++;
    fault.countdown = this.nextCountdown(fault);
  }

  private firstCountdown(fault: ArmedFault): number {
    const trigger = fault.spec.trigger;
    if (trigger.type === 'nth') return trigger.n - 1;
    return this.nextCountdown(fault);
  }

  private nextCountdown(fault: ArmedFault): number {
    const trigger = fault.spec.trigger;
    return trigger.type === 'rate' ? fault.when.gap(trigger.p) : Number.POSITIVE_INFINITY;
  }
}

/** Rate and #N triggers are decided at opportunities; time and now triggers by the clock. */
function isCounted(fault: ArmedFault): boolean {
  return fault.spec.trigger.type === 'rate' || fault.spec.trigger.type === 'nth';
}
