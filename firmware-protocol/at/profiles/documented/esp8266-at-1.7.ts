import type { DocumentedCommands } from '../../profile.js';

/**
 * Every command ESP8266 NonOS AT 1.7.4 has. NonOS's instruction set is a PDF (ESP8266 AT Instruction Set,
 * the v1.7 release), so the list is the firmware's own: the command table of espressif/ESP8266_NONOS_SDK
 * tag v3.0.4, lib/libat.a (at_cmd.o: each `+NAME` string, in the table's order, regrouped by the PDF's
 * chapters: Basic, Wi-Fi, TCP/IP), plus `AT` and `ATE` (at_baseCmd.o's at_exeCmdNull and at_setupCmdE) and
 * AT+CIUPDATE, which the AT example registers itself (examples/at/user/user_main.c at_custom_cmd, under
 * AT_UPGRADE_SUPPORT). NonOS registers the plain name and its `_CUR`/`_DEF` names as separate commands; all
 * are listed. The GPIO/ADC commands are on the PDF's Basic chapter: the firmware has them (so they are not
 * "built without").
 */
export const ESP8266_NONOS_AT_1_7_4: DocumentedCommands = {
  source: 'espressif/ESP8266_NONOS_SDK v3.0.4 lib/libat.a command table (AT 1.7.4)',
  pages: {
    basic: ['AT', 'ATE', 'RST', 'GMR', 'GSLP', 'SLEEP', 'IPR', 'RESTORE', 'RFPOWER', 'RFVDD', 'RFAUTOTRACE',
      'UART', 'UART_DEF', 'UART_CUR', 'WAKEUPGPIO', 'SYSRAM', 'SYSADC', 'SYSIOSETCFG', 'SYSIOGETCFG',
      'SYSGPIODIR', 'SYSGPIOWRITE', 'SYSGPIOREAD', 'SYSMSG_CUR', 'SYSMSG_DEF'],
    wifi: ['CWMODE', 'CWMODE_DEF', 'CWMODE_CUR', 'CWJAP', 'CWJAP_DEF', 'CWJAP_CUR', 'CWLAP', 'CWLAPOPT', 'CWQAP',
      'CWSAP', 'CWSAP_DEF', 'CWSAP_CUR', 'CWLIF', 'CWDHCP', 'CWDHCP_DEF', 'CWDHCP_CUR', 'CWDHCPS_DEF',
      'CWDHCPS_CUR', 'CWAUTOCONN', 'CWHOSTNAME', 'CWCOUNTRY_CUR', 'CWCOUNTRY_DEF', 'WPS', 'CWJEAP_DEF',
      'CWJEAP_CUR', 'CWSTARTSMART', 'CWSTOPSMART', 'CWSTARTDISCOVER', 'CWSTOPDISCOVER', 'CIPSTAMAC',
      'CIPSTAMAC_DEF', 'CIPSTAMAC_CUR', 'CIPAPMAC', 'CIPAPMAC_DEF', 'CIPAPMAC_CUR', 'CIPSTA', 'CIPSTA_DEF',
      'CIPSTA_CUR', 'CIPAP', 'CIPAP_DEF', 'CIPAP_CUR', 'MDNS'],
    tcpip: ['CIFSR', 'CIPSTATUS', 'CIPSTART', 'CIPSSLSIZE', 'CIPSSLCCONF', 'CIPCLOSE', 'CIPCLOSEMODE', 'CIPSEND',
      'CIPSENDEX', 'CIPDINFO', 'CIPMUX', 'CIPSERVER', 'CIPSERVERMAXCONN', 'CIPMODE', 'CIPRECVMODE', 'CIPRECVDATA',
      'CIPRECVLEN', 'CIPSTO', 'CIPALIVE', 'CIPBUFRESET', 'CIPSENDBUF', 'CIPCHECKSEQ', 'CIPCHECKQUEUE',
      'CIPBUFSTATUS', 'CIPDOMAIN', 'CIPSNTPCFG', 'CIPSNTPTIME', 'PING', 'CIPDNS_CUR', 'CIPDNS_DEF',
      'SAVETRANSLINK', 'CIUPDATE'],
  },
};
