/**
 * What a firmware version's documentation lists (profiles/documented/): the shape each profile's
 * `documented` field takes, read by `copro commands --coverage` (cli/commands/coverage-markdown.ts).
 */

/** The pages of ESP-AT's command documentation (docs/en/AT_Command_Set). */
export type DocPage =
  | 'basic'
  | 'wifi'
  | 'tcpip'
  | 'mqtt'
  | 'http'
  | 'fs'
  | 'websocket'
  | 'ble'
  | 'bt'
  | 'ethernet'
  | 'driver'
  | 'signaling'
  | 'webserver'
  | 'user';

/** Every command a firmware version's documentation describes, by page, without `AT+` (profiles/documented/). */
export interface DocumentedCommands {
  /** Where the list was read: repository, tag, folder. */
  readonly source: string;
  readonly pages: Partial<Readonly<Record<DocPage, readonly string[]>>>;
  /** Commands the firmware registers though its docs do not list them, with where that was seen. */
  readonly alsoRegistered?: Readonly<Record<string, string>>;
  /**
   * Commands the docs mark for another chip (`[ESP32-S2 Only]`) that this firmware does not register,
   * with the evidence: the module answers them as unknown commands, and so does copro.
   */
  readonly otherChip?: Readonly<Record<string, string>>;
}
