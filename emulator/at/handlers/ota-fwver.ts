import type { Handler, Handlers } from '../handler-types.js';
import { runHttpRequest } from '../http-client.js';
import { fwVersions } from '../ota-download.js';
import { serverAddress } from '../ota-upgrade.js';

/**
 * AT+CIPFWVER? (at_ota_cmd.c v4.1.1.0, at_query_cmd_cipfwver): esp_http_client GET of
 * `http://<CONFIG_AT_OTA_SERVER_IP>/v1/device/rom` (port 80: the config names no port; the world's
 * `ota.server` stands in for it) with `Authorization: token <key>`, 10 s timeout; the answer's
 * versions as `+CIPFWVER:"<version>"` lines, then OK. A failed request or a status >= 400: ERROR
 * (UNSURE: the ERR CODE; the firmware returns a bare error result, copro says exec-failed).
 */

/** The config's .timeout_ms. */
const FWVER_TIMEOUT_MS = 10_000;
/** The config's .path. */
const FWVER_PATH = '/v1/device/rom';

const fwverQuery: Handler<'CIPFWVER', 'query'> = async (core, call) => {
  const build = core.profile.ota;
  const model = core.profile.http;
  if (!build || !model) return core.error('exec-failed');
  const epoch = core.epoch;
  const body: Buffer[] = [];
  try {
    const endpoint = await serverAddress(core, false);
    const response = await runHttpRequest(
      core,
      model,
      {
        method: 'GET',
        url: new URL(`http://${build.server}${FWVER_PATH}`),
        headers: [['Authorization', `token ${build.token}`]],
        body: Buffer.alloc(0),
        bufferSize: model.bufferSize,
        timeoutMs: FWVER_TIMEOUT_MS,
        own: endpoint,
      },
      { onPiece: (bytes) => body.push(Buffer.from(bytes)) },
    );
    if (!core.isCurrent(epoch)) return;
    if (response.status >= 400) {
      core.tracer.note(`AT+CIPFWVER: the OTA server answered ${response.status}`);
      return core.error('exec-failed');
    }
    for (const version of fwVersions(Buffer.concat(body).toString('latin1'))) core.reply(call, 'version', { version });
    core.ok();
  } catch (error) {
    if (!core.isCurrent(epoch)) return;
    core.tracer.note(`AT+CIPFWVER: ${error instanceof Error ? error.message : String(error)}`);
    core.error('exec-failed');
  }
};

export const OTA_FWVER_HANDLERS = { CIPFWVER: { query: fwverQuery } } satisfies Handlers;
