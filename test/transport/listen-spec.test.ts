import { describe, expect, it } from 'vitest';
import { parseListenSpec } from '../../emulator/transport/index.js';

describe('parseListenSpec', () => {
  it('defaults the host to 127.0.0.1', () => {
    expect(parseListenSpec('7001')).toEqual({ host: '127.0.0.1', port: 7001 });
    expect(parseListenSpec('0')).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('takes HOST:PORT and [IPv6]:PORT', () => {
    expect(parseListenSpec('0.0.0.0:7001')).toEqual({ host: '0.0.0.0', port: 7001 });
    expect(parseListenSpec('localhost:65535')).toEqual({ host: 'localhost', port: 65535 });
    expect(parseListenSpec('[::1]:7002')).toEqual({ host: '::1', port: 7002 });
  });

  it('rejects anything else with one clear line', () => {
    for (const bad of ['', 'abc', '70000', ':7001', '127.0.0.1:', '::1:7001', '1.2.3.4:12a', '-1']) {
      expect(() => parseListenSpec(bad), bad).toThrow(/^invalid listen address .*expected \[HOST:\]PORT/);
    }
  });
});
