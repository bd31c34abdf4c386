import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  PROFILE_IDS,
  bindSetParams,
  commandsOf,
  findCommand,
  parseParams,
  type CommandSpec,
  type ProfileId,
} from '../../firmware-protocol/index.js';

const V2: ProfileId = 'esp32-at-2.x';
const V17: ProfileId = 'esp8266-at-1.7';

function spec(name: string, profile: ProfileId = V2): CommandSpec {
  const found = findCommand(name, profile);
  if (found === undefined) throw new Error(`no ${name} in ${profile}`);
  return found;
}

function bind(name: string, paramText: string, mux: 'single' | 'multi', profile: ProfileId = V2) {
  const parsed = parseParams(paramText);
  if (!parsed.ok) throw new Error(`bad params ${paramText}`);
  return bindSetParams(spec(name, profile), parsed.params, mux);
}

describe('command table', () => {
  const required2x = `AT ATE0 ATE1 RST GMR RESTORE SYSSTORE SYSLOG SYSMSG UART_CUR UART_DEF CWMODE CWJAP CWQAP
    CWLAP CWLAPOPT CWSTATE CWAUTOCONN CWDHCP CIFSR CIPSTA CIPMUX CIPSTART CIPSTARTEX CIPSEND CIPSENDEX CIPCLOSE
    CIPSTATUS CIPSTATE CIPDOMAIN CIPDINFO CIPRECVMODE CIPRECVDATA CIPRECVLEN CIPSERVER CIPSERVERMAXCONN CIPSTO
    CIPMODE CIPDNS CIPRECONNINTV`.split(/\s+/);
  const required17 = `AT ATE0 ATE1 RST GMR RESTORE UART UART_CUR UART_DEF CWMODE CWMODE_CUR CWMODE_DEF CWJAP
    CWJAP_CUR CWJAP_DEF CWQAP CWLAP CWLAPOPT CWAUTOCONN CIFSR CIPSTA CIPSTA_CUR CIPSTA_DEF CIPMUX CIPSTART CIPSEND
    CIPSENDEX CIPCLOSE CIPSTATUS CIPDOMAIN CIPDINFO CIPRECVMODE CIPRECVDATA CIPRECVLEN CIPSERVER CIPSERVERMAXCONN
    CIPSTO CIPMODE`.split(/\s+/);

  it('has every required 2.x command', () => {
    for (const name of required2x) expect(findCommand(name, V2), name).toBeDefined();
  });

  it('has every required 1.7 command', () => {
    for (const name of required17) expect(findCommand(name, V17), name).toBeDefined();
  });

  it('keeps 2.x-only and 1.7-only commands apart', () => {
    for (const name of ['SYSSTORE', 'SYSLOG', 'CWSTATE', 'CIPSTATE', 'CIPSTARTEX', 'CIPRECONNINTV', 'CIPDNS']) {
      expect(findCommand(name, V17), name).toBeUndefined();
    }
    // 2.x keeps `AT+UART` (at_uart_task.c: query = UART_CUR, set = UART_DEF).
    for (const name of ['CWMODE_CUR', 'CWJAP_DEF', 'CIPSTA_CUR', 'CIPSSLSIZE']) {
      expect(findCommand(name, V2), name).toBeUndefined();
    }
  });

  it('is case-sensitive and knows no names with AT+', () => {
    expect(findCommand('cwmode', V2)).toBeUndefined();
    expect(findCommand('AT+CWMODE', V2)).toBeUndefined();
    expect(findCommand('FAKE', V2)).toBeUndefined();
  });

  it('gives every set form a signature and no signature without a set form', () => {
    for (const command of COMMANDS) {
      expect(command.forms.includes('set'), command.name).toBe((command.set?.length ?? 0) > 0);
      expect(command.profiles.length, command.name).toBeGreaterThan(0);
    }
    for (const profile of PROFILE_IDS) expect(commandsOf(profile).length).toBeGreaterThan(30);
  });

  it('lists the forms real firmware has', () => {
    expect(spec('CIPCLOSE').forms).toEqual(['set', 'exec']);
    expect(spec('CIPSEND').forms).toEqual(['set', 'exec']);
    expect(spec('CWJAP').forms).toEqual(['query', 'set', 'exec']);
    expect(spec('CWJAP', V17).forms).not.toContain('exec');
    expect(spec('CIPSTATE').forms).toEqual(['query']);
    expect(spec('GMR').forms).toEqual(['exec']);
    expect(spec('CWMODE').forms).not.toContain('test');
    expect(spec('CWMODE_CUR', V17).forms).toContain('test');
  });
});

describe('bindSetParams', () => {
  it('binds CWMODE and its optional auto_connect', () => {
    expect(bind('CWMODE', '1', 'single')).toMatchObject({ ok: true, values: [1, undefined] });
    expect(bind('CWMODE', '3,0', 'multi')).toMatchObject({ ok: true, values: [3, 0] });
    expect(bind('CWMODE', '4', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CWMODE', '0', 'single', V17)).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CWMODE', '"1"', 'single')).toMatchObject({ ok: false, mismatch: 'param-type' });
    expect(bind('CWMODE', '1,1,1', 'single')).toMatchObject({ ok: false, mismatch: 'param-number' });
    expect(bind('CWMODE', '', 'single')).toMatchObject({ ok: false, mismatch: 'param-number' });
  });

  it('binds CWJAP with middle omissions and checks lengths and ranges', () => {
    expect(bind('CWJAP', '"ssid","pw",,1', 'single')).toMatchObject({
      ok: true,
      values: ['ssid', 'pw', undefined, 1, undefined, undefined, undefined, undefined, undefined],
    });
    expect(bind('CWJAP', `"${'x'.repeat(33)}","pw"`, 'single')).toMatchObject({ ok: false, mismatch: 'param-length' });
    expect(bind('CWJAP', '"s","p",,,,,,2', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CWJAP', '"s"', 'single', V17)).toMatchObject({ ok: false, mismatch: 'param-number' });
    expect(bind('CWJAP_CUR', '"s","p"', 'single', V17)).toMatchObject({ ok: true });
  });

  it('picks the CIPSTART signature from the link mode and the type', () => {
    const multiTcp = bind('CIPSTART', '0,"TCP","10.0.0.1",80', 'multi');
    expect(multiTcp).toMatchObject({ ok: true, values: [0, 'TCP', '10.0.0.1', 80, undefined, undefined] });
    if (multiTcp.ok) expect(multiTcp.signature.mux).toBe('multi');

    const singleUdp = bind('CIPSTART', '"UDP","10.0.0.1",1000,1002,2', 'single');
    expect(singleUdp).toMatchObject({ ok: true, values: ['UDP', '10.0.0.1', 1000, 1002, 2, undefined] });
    expect(bind('CIPSTART', '"SSLv6","::1",443', 'single')).toMatchObject({ ok: true });
    expect(bind('CIPSTART', '"TCP","10.0.0.1",80', 'multi')).toMatchObject({ ok: false, mismatch: 'param-type' });
    expect(bind('CIPSTART', '0,"TCP","10.0.0.1",80', 'single')).toMatchObject({ ok: false, mismatch: 'param-type' });
    expect(bind('CIPSTART', '5,"TCP","10.0.0.1",80', 'multi')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPSTART', '"tcp","10.0.0.1",80', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPSTART', '"TCP","10.0.0.1",65536', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPSTART', `"TCP","${'h'.repeat(65)}",80`, 'single')).toMatchObject({
      ok: false,
      mismatch: 'param-length',
    });
    expect(bind('CIPSTART', '"TCPv6","::1",80', 'single', V17)).toMatchObject({ ok: false, mismatch: 'param-invalid' });
  });

  it('binds CIPSTARTEX in either mode without a link id', () => {
    expect(bind('CIPSTARTEX', '"TCP","h",1', 'multi')).toMatchObject({ ok: true });
    expect(bind('CIPSTARTEX', '"UDP","h",1', 'single')).toMatchObject({ ok: true });
  });

  it('binds every CIPSEND shape and leaves the upper length bound to the emulator', () => {
    expect(bind('CIPSEND', '5', 'single')).toMatchObject({ ok: true, values: [5] });
    expect(bind('CIPSEND', '0,5', 'multi')).toMatchObject({ ok: true, values: [0, 5] });
    expect(bind('CIPSEND', '5,"10.0.0.1",9', 'single')).toMatchObject({ ok: true, values: [5, '10.0.0.1', 9] });
    expect(bind('CIPSEND', '1,5,"10.0.0.1",9', 'multi')).toMatchObject({ ok: true, values: [1, 5, '10.0.0.1', 9] });
    expect(bind('CIPSEND', '100000', 'single')).toMatchObject({ ok: true });
    expect(bind('CIPSEND', '0', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    // The `<len>,<host>,<port>` alternative got furthest: the port is missing.
    expect(bind('CIPSEND', '5,"10.0.0.1"', 'single')).toEqual({ ok: false, mismatch: 'param-number', index: 2 });
    expect(bind('CIPSEND', '5,6', 'single')).toEqual({ ok: false, mismatch: 'param-type', index: 1 });
    expect(bind('CIPSENDEX', '4,5', 'multi')).toMatchObject({ ok: true, values: [4, 5] });
  });

  it('accepts CIPCLOSE link 5 in multi mode only', () => {
    expect(bind('CIPCLOSE', '5', 'multi')).toMatchObject({ ok: true, values: [5] });
    expect(bind('CIPCLOSE', '6', 'multi')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPCLOSE', '0', 'single')).toMatchObject({ ok: false, mismatch: 'param-number' });
  });

  it('tells CIPSERVER create from delete', () => {
    expect(bind('CIPSERVER', '1,8080', 'multi')).toMatchObject({ ok: true, values: [1, 8080, undefined, undefined] });
    expect(bind('CIPSERVER', '1', 'multi')).toMatchObject({ ok: true });
    expect(bind('CIPSERVER', '0,1', 'multi')).toMatchObject({ ok: true, values: [0, 1] });
    expect(bind('CIPSERVER', '0,2', 'multi')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPSERVER', '2', 'multi')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
  });

  it('checks plain ranges', () => {
    expect(bind('CIPSTO', '7200', 'single')).toMatchObject({ ok: true });
    expect(bind('CIPSTO', '7201', 'single')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPSERVERMAXCONN', '0', 'multi')).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('UART_CUR', '115200,8,1,0,0', 'single')).toMatchObject({ ok: true });
    expect(bind('UART_CUR', '115200,8,1,0', 'single')).toMatchObject({ ok: false, mismatch: 'param-number' });
    expect(bind('UART_CUR', '5000000,8,1,0,0', 'single', V17)).toMatchObject({ ok: false, mismatch: 'param-invalid' });
    expect(bind('CIPRECVDATA', '0,100', 'multi')).toMatchObject({ ok: true, values: [0, 100] });
    expect(bind('CIPRECVDATA', '100', 'single')).toMatchObject({ ok: true, values: [100] });
    expect(bind('CWLAPOPT', '1,2047,-100', 'single')).toMatchObject({ ok: true });
    expect(bind('CIPDOMAIN', '"example.com"', 'single', V17)).toMatchObject({ ok: true });
    expect(bind('CIPDOMAIN', '"example.com",2', 'single', V17)).toMatchObject({ ok: false, mismatch: 'param-number' });
  });
});
