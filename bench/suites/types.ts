import type { Figure } from '../lib/figures.js';

export interface BenchOptions {
  /** Bytes each way for the unthrottled raw PTY throughput. */
  readonly rawBytes: number;
  /** Bytes for the paced emulator→host measurement, per line rate. */
  readonly pacedBytes: Readonly<Record<number, number>>;
  /** Measured round trips (after `warmup` unmeasured ones) for ping-pong and AT. */
  readonly roundTrips: number;
  readonly warmup: number;
  /** Bytes each way for unthrottled TCP goodput through driver + emulator. */
  readonly driverBytes: number;
  /** Bytes each way for paced TCP goodput through driver + emulator, per line rate. */
  readonly driverPacedBytes: Readonly<Record<number, number>>;
  /** Connect + close cycles measured. */
  readonly connects: number;
  /** UDP datagrams sent per measurement. */
  readonly datagrams: number;
  /** HTTP requests measured per way of making them (usocket, Node's http with and without keep-alive). */
  readonly httpRequests: number;
  /** The fleet: emulated modules in one daemon, links streaming on each, seconds measured. */
  readonly fleet: { readonly modules: number; readonly links: number; readonly seconds: number };
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** A figure an earlier suite of this run produced (baselines for ratios). */
  figure(id: string): Figure | undefined;
  /** Progress on stderr (the table goes to stdout). */
  log(text: string): void;
}

/**
 * One group of measurements. Suites run in the order listed in ./index.ts and may judge their
 * figures against earlier ones of the same run (raw PTY first: it is every ratio's baseline).
 */
export interface BenchSuite {
  readonly id: string;
  readonly title: string;
  /** Suites whose figures this one is judged against: run first even under `--only`. */
  readonly needs?: readonly string[];
  run(context: BenchContext): Promise<Figure[]>;
}
