/** ESP-AT codec: pure bytes <-> events, no I/O, no timers. */
export type {
  AtParam,
  CommandForm,
  FinalResult,
  HostEvent,
  LineRejection,
  ModuleInputEvent,
  ParsedCommand,
  RemoteInfo,
  Urc,
} from './types.js';
export type {
  FirmwareProfile,
  Persistence,
  ProfileChanges,
  ProfileId,
  ProfileLimits,
  ReplyLayout,
} from './profile.js';
export type {
  CommandDecl,
  CommandSpec,
  MuxCondition,
  ParamMismatch,
  ParamSpec,
  ParamValue,
  SetSignature,
  VariantDecl,
} from './command-spec.js';
export type { CommandName } from './commands/index.js';
export type { FormOf, SetParams, VariantName } from './commands/command-types.js';
export type { NameRule, ProfileCommand, ProfileCommands } from './commands/profile-commands.js';

export {
  DEFAULT_PROFILE,
  ESP32_AT_2X,
  ESP8266_AT_17,
  ESP8266_RTOS_AT_22,
  ESP32C3_AT_41,
  PROFILES,
  PROFILE_IDS,
  PROFILE_LIST,
  curDefNames,
  defineProfile,
  deriveProfile,
  detectProfile,
  findProfile,
  isProfileId,
} from './profiles.js';
export type { Detection } from './profiles.js';
export { parseParams, quoteParam } from './params.js';
export type { ParamParseResult } from './params.js';
export {
  COMMANDS,
  CONNECTION_TYPES,
  bindSetParams,
  commandName,
  commandsOf,
  findCommand,
  hasCommand,
  specsOf,
  variantOf,
} from './command-table.js';
export type { BindResult, CommandEntry } from './command-table.js';
export { parseCommandLine } from './command-line.js';
export type { CommandLineResult } from './command-line.js';
export { ModuleInputParser } from './module-input-parser.js';
export type { EnterDataOptions, ModuleInputMode, ModuleInputParserOptions } from './module-input-parser.js';
export { HostResponseParser } from './host-response-parser.js';
export type { HostResponseParserOptions } from './host-response-parser.js';
export { classifyLine } from './response-lines.js';
export * as moduleOutput from './module-output.js';
export {
  ERROR_SUBCATEGORIES,
  busy,
  errCode,
  errCodeOf,
  errorWord,
  finalResult,
  formatUrc,
  infoLine,
  ipd,
  ipdNotice,
  mqttSubRecv,
  okPrompt,
  prompt,
  recvBytes,
  recvData,
  textLine,
  textLines,
} from './module-output.js';
export type { ErrorSubcategory } from './module-output.js';
export { CommandFormatError, formatCommand, formatRequest } from './host-commands.js';
export { formatReply, readReply, replyText } from './grammar/replies.js';
export type { ReplyOptions, ReplyText } from './grammar/replies.js';
export type { LineName, LineValueOf, ReplyReading } from './grammar/reply-types.js';
export { IPD_HEADER, MQTT_SUBRECV_HEADER, RECV_BYTES_LINE, RECV_DATA_HEADERS, URC_SHAPES } from './messages.js';
export type { CommandFormatErrorCode, FormatOptions } from './host-commands.js';
