import type { DocumentedCommands } from '../../profile.js';

/**
 * Every command ESP-AT v4.1.1.0's documentation describes: the sections of espressif/esp-at tag v4.1.1.0,
 * docs/en/AT_Command_Set/*.rst (one per `.. _cmd-…:` section), by page. Data, read off the docs;
 * the command table says which of them copro emulates (docs/emulator.md lists the rest, and why).
 */
export const ESP_AT_V4_1_1_0: DocumentedCommands = {
  source: 'espressif/esp-at v4.1.1.0 docs/en/AT_Command_Set',
  // Still registered by the core library though the pages no longer list them (v4.1 documents
  // AT+CIPSTATE, AT+CIPRECVTYPE and the AT+MQTTLONG… forms instead).
  alsoRegistered: {
    CIPSTATUS: 'components/at/lib/libesp32c3_at_core.a',
    CIPRECVMODE: 'components/at/lib/libesp32c3_at_core.a',
    MQTTCLIENTID: 'components/at/lib/libesp32c3_at_core.a',
    MQTTUSERNAME: 'components/at/lib/libesp32c3_at_core.a',
    MQTTPASSWORD: 'components/at/lib/libesp32c3_at_core.a',
  },
  pages: {
    ble: ['BLUFI', 'BLUFINAME', 'BLUFISEND'],
    bt: ['BTINIT', 'BTNAME', 'BTSCANMODE', 'BTSTARTDISC', 'BTSPPINIT', 'BTSPPCONN', 'BTSPPDISCONN', 'BTSPPSEND',
      'BTSPPSTART', 'BTA2DPINIT', 'BTA2DPCONN', 'BTA2DPDISCONN', 'BTA2DPSRC', 'BTA2DPCTRL', 'BTSECPARAM',
      'BTKEYREPLY', 'BTPINREPLY', 'BTSECCFM', 'BTENCDEV', 'BTENCCLEAR', 'BTCOD', 'BTPOWER'],
    basic: ['AT', 'RST', 'GMR', 'CMD', 'GSLP', 'ATE', 'RESTORE', 'SAVETRANSLINK', 'UART_CUR', 'UART_DEF', 'SLEEP',
      'SYSRAM', 'SYSMSG', 'SYSMSGFILTER', 'SYSMSGFILTERCFG', 'SYSFLASH', 'SYSMFG', 'RFPOWER', 'SYSROLLBACK',
      'SYSTIMESTAMP', 'SYSLOG', 'SLEEPWKCFG', 'SYSSTORE', 'SYSREG'],
    driver: ['DRVADC', 'DRVPWMINIT', 'DRVPWMDUTY', 'DRVPWMFADE', 'DRVI2CINIT', 'DRVI2CRD', 'DRVI2CWRDATA',
      'DRVI2CWRBYTES', 'DRVSPICONFGPIO', 'DRVSPIINIT', 'DRVSPIRD', 'DRVSPIWR'],
    ethernet: ['CIPETHMAC', 'CIPETH'],
    fs: ['FS', 'FSMOUNT'],
    http: ['HTTPCLIENT', 'HTTPGETSIZE', 'HTTPCGET', 'HTTPCPOST', 'HTTPCPUT', 'HTTPURLCFG', 'HTTPCHEAD', 'HTTPCFG'],
    mqtt: ['MQTTUSERCFG', 'MQTTLONGCLIENTID', 'MQTTLONGUSERNAME', 'MQTTLONGPASSWORD', 'MQTTCONNCFG', 'MQTTALPN',
      'MQTTSNI', 'MQTTCONN', 'MQTTPUB', 'MQTTPUBRAW', 'MQTTSUB', 'MQTTUNSUB', 'MQTTCLEAN'],
    signaling: ['FACTPLCP'],
    tcpip: ['CIPV6', 'CIPSTATE', 'CIPDOMAIN', 'CIPSTART', 'CIPSTARTEX', 'CIPSEND', 'CIPSENDL', 'CIPSENDLCFG',
      'CIPSENDEX', 'CIPCLOSE', 'CIFSR', 'CIPMUX', 'CIPSERVER', 'CIPSERVERMAXCONN', 'CIPMODE', 'CIPSTO', 'CIPSNTPCFG',
      'CIPSNTPTIME', 'CIPSNTPINTV', 'CIPFWVER', 'CIUPDATE', 'CIPDINFO', 'CIPSSLCCONF', 'CIPSSLCCIPHER', 'CIPSSLCCN',
      'CIPSSLCSNI', 'CIPSSLCALPN', 'CIPSSLCPSK', 'CIPSSLCPSKHEX', 'CIPRECONNINTV', 'CIPRECVTYPE', 'CIPRECVDATA',
      'CIPRECVLEN', 'PING', 'CIPDNS', 'MDNS', 'CIPTCPOPT'],
    webserver: ['WEBSERVER'],
    wifi: ['CWINIT', 'CWMODE', 'CWSTATE', 'CWCONFIG', 'CWJAP', 'CWRECONNCFG', 'CWLAPOPT', 'CWLAP', 'CWQAP', 'CWSAP',
      'CWLIF', 'CWQIF', 'CWDHCP', 'CWDHCPS', 'CWAUTOCONN', 'CWAPPROTO', 'CWSTAPROTO', 'CIPSTAMAC', 'CIPAPMAC',
      'CIPSTA', 'CIPAP', 'CWSTARTSMART', 'CWSTOPSMART', 'WPS', 'CWJEAP', 'CWHOSTNAME', 'CWCOUNTRY'],
    user: ['USERRAM', 'USEROTA', 'USERWKMCUCFG', 'USERMCUSLEEP', 'USERDOCS'],
    websocket: ['WSCFG', 'WSHEAD', 'WSOPEN', 'WSSEND', 'WSCLOSE'],
  },
};
