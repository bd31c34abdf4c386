/**
 * One operation the script can ask of the host: it runs on the main thread with the driver and
 * answers with a value (JSON-able) and/or bytes.
 */
export interface OpResult {
  readonly value?: unknown;
  readonly data?: Uint8Array;
  /** The script stopped waiting (Ctrl-C) before the answer came: give back what was taken. */
  readonly undo?: () => void;
}

export type Op = (args: readonly unknown[], data: Uint8Array | undefined) => Promise<OpResult>;

export type OpTable = Readonly<Record<string, Op>>;
