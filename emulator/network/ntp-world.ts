import type { FieldReader } from './config-fields.js';

/**
 * Where SNTP servers are in this world: `"ntp": { "cn.ntp.org.cn": "127.0.0.1:12300" }` sends the
 * module's requests for that name (or address) to a local server, a test's or a user's own. A server
 * not named here is resolved as any name and asked on port 123.
 */
export type NtpWorld = Readonly<Record<string, { readonly host: string; readonly port: number }>>;

export function readNtpWorld(read: FieldReader, value: unknown): NtpWorld {
  const servers: Record<string, { readonly host: string; readonly port: number }> = {};
  for (const [name, where] of Object.entries(read.object(value, 'ntp'))) {
    servers[name.toLowerCase()] = read.hostPort(where, `ntp[${JSON.stringify(name)}]`);
  }
  return Object.freeze(servers);
}
