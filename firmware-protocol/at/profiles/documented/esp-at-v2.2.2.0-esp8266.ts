import type { DocumentedCommands } from '../../profile.js';

/**
 * Every command ESP-AT v2.2.2.0_esp8266's documentation describes: the sections of espressif/esp-at tag v2.2.2.0_esp8266,
 * docs/en/AT_Command_Set/*.rst (one per `.. _cmd-…:` section), by page. Data, read off the docs;
 * the command table says which of them copro emulates (docs/emulator.md lists the rest, and why).
 */
export const ESP_AT_V2_2_2_0_ESP8266: DocumentedCommands = {
  source: 'espressif/esp-at v2.2.2.0_esp8266 docs/en/AT_Command_Set',
  // The MQTT page documents only the AT+MQTTLONG… forms; the short ones are still in the core library.
  alsoRegistered: {
    MQTTCLIENTID: 'components/at/lib/libesp8266_at_core.a',
    MQTTUSERNAME: 'components/at/lib/libesp8266_at_core.a',
    MQTTPASSWORD: 'components/at/lib/libesp8266_at_core.a',
  },
  // Basic_AT_Commands.rst heads it "[ESP32-S2 Only]"; libesp8266_at_core.a has no SYSTEMP string
  // (only libesp32s2_at_core.a does), so the ESP8266 firmware answers it as an unknown command.
  otherChip: {
    SYSTEMP: 'Basic_AT_Commands.rst "[ESP32-S2 Only]"; absent from components/at/lib/libesp8266_at_core.a',
  },
  pages: {
    ble: ['BLEINIT', 'BLEADDR', 'BLENAME', 'BLESCANPARAM', 'BLESCAN', 'BLESCANRSPDATA', 'BLEADVPARAM', 'BLEADVDATA',
      'BLEADVDATAEX', 'BLEADVSTART', 'BLEADVSTOP', 'BLECONN', 'BLECONNPARAM', 'BLEDISCONN', 'BLEDATALEN',
      'BLECFGMTU', 'BLEGATTSSRVCRE', 'BLEGATTSSRVSTART', 'BLEGATTSSRVSTOP', 'BLEGATTSSRV', 'BLEGATTSCHAR',
      'BLEGATTSNTFY', 'BLEGATTSIND', 'BLEGATTSSETATTR', 'BLEGATTCPRIMSRV', 'BLEGATTCINCLSRV', 'BLEGATTCCHAR',
      'BLEGATTCRD', 'BLEGATTCWR', 'BLESPPCFG', 'BLESPP', 'BLESECPARAM', 'BLEENC', 'BLEENCRSP', 'BLEKEYREPLY',
      'BLECONFREPLY', 'BLEENCDEV', 'BLEENCCLEAR', 'BLESETKEY', 'BLEHIDINIT', 'BLEHIDKB', 'BLEHIDMUS',
      'BLEHIDCONSUMER', 'BLUFI', 'BLUFINAME'],
    bt: ['BTINIT', 'BTNAME', 'BTSCANMODE', 'BTSTARTDISC', 'BTSPPINIT', 'BTSPPCONN', 'BTSPPDISCONN', 'BTSPPSEND',
      'BTSPPSTART', 'BTA2DPINIT', 'BTA2DPCONN', 'BTA2DPDISCONN', 'BTA2DPSRC', 'BTA2DPCTRL', 'BTSECPARAM',
      'BTKEYREPLY', 'BTPINREPLY', 'BTSECCFM', 'BTENCDEV', 'BTENCCLEAR', 'BTCOD', 'BTPOWER'],
    basic: ['AT', 'RST', 'GMR', 'CMD', 'GSLP', 'ATE', 'RESTORE', 'UART_CUR', 'UART_DEF', 'SLEEP', 'SYSRAM', 'SYSMSG',
      'SYSFLASH', 'FS', 'RFPOWER', 'SYSROLLBACK', 'SYSTIMESTAMP', 'SYSLOG', 'SLEEPWKCFG', 'SYSSTORE', 'SYSREG',
      'SYSTEMP'],
    driver: ['DRVADC', 'DRVPWMINIT', 'DRVPWMDUTY', 'DRVPWMFADE', 'DRVI2CINIT', 'DRVI2CRD', 'DRVI2CWRDATA',
      'DRVI2CWRBYTES', 'DRVSPICONFGPIO', 'DRVSPIINIT', 'DRVSPIRD', 'DRVSPIWR'],
    ethernet: ['CIPETHMAC', 'CIPETH'],
    http: ['HTTPCLIENT', 'HTTPGETSIZE', 'HTTPCPOST'],
    mqtt: ['MQTTUSERCFG', 'MQTTLONGCLIENTID', 'MQTTLONGUSERNAME', 'MQTTLONGPASSWORD', 'MQTTCONNCFG', 'MQTTCONN',
      'MQTTPUB', 'MQTTPUBRAW', 'MQTTSUB', 'MQTTUNSUB', 'MQTTCLEAN'],
    signaling: ['FACTPLCP'],
    tcpip: ['CIPV6', 'CIPSTATE', 'CIPSTATUS', 'CIPDOMAIN', 'CIPSTART', 'CIPSTARTEX', 'CIPSEND', 'CIPSENDEX',
      'CIPCLOSE', 'CIFSR', 'CIPMUX', 'CIPSERVER', 'CIPSERVERMAXCONN', 'CIPMODE', 'SAVETRANSLINK', 'CIPSTO',
      'CIPSNTPCFG', 'CIPSNTPTIME', 'CIUPDATE', 'CIPDINFO', 'CIPSSLCCONF', 'CIPSSLCCN', 'CIPSSLCSNI', 'CIPSSLCALPN',
      'CIPSSLCPSK', 'CIPRECONNINTV', 'CIPRECVMODE', 'CIPRECVDATA', 'CIPRECVLEN', 'PING', 'CIPDNS', 'CIPTCPOPT'],
    webserver: ['WEBSERVER'],
    wifi: ['CWMODE', 'CWSTATE', 'CWJAP', 'CWRECONNCFG', 'CWLAPOPT', 'CWLAP', 'CWQAP', 'CWSAP', 'CWLIF', 'CWQIF',
      'CWDHCP', 'CWDHCPS', 'CWAUTOCONN', 'CWAPPROTO', 'CWSTAPROTO', 'CIPSTAMAC', 'CIPAPMAC', 'CIPSTA', 'CIPAP',
      'CWSTARTSMART', 'CWSTOPSMART', 'WPS', 'MDNS', 'CWJEAP', 'CWHOSTNAME', 'CWCOUNTRY'],
    user: ['USERRAM', 'USEROTA', 'USERWKMCUCFG', 'USERMCUSLEEP'],
  },
};
