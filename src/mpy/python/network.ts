/**
 * `network`: WLAN in MicroPython's documented form (ESP32 style: WLAN(network.STA_IF), connect()
 * returns at once and isconnected() follows the module) and in the WiPy's (WLAN(mode=WLAN.STA),
 * connect(ssid, auth=(WLAN.WPA2, key), timeout=ms) waits). The station is the driver's
 * (src/wlan.ts); the STAT_* numbers are prepended from it when installed. WLAN(AP_IF) is the
 * module's softAP through the driver (src/wlan-ap.ts): active, config, status('stations') as the
 * ESP32 port's (a tuple per station holding its MAC as bytes), isconnected, ifconfig. The WiPy's
 * WLAN(mode=WLAN.AP) is not offered.
 */
export const NETWORK_PY = String.raw`
from _copro_io import call
from collections import namedtuple
import errno

STA_IF = 0
AP_IF = 1

# ESP-IDF's wifi_auth_mode_t, as MicroPython's esp32 port numbers scan() results (ESP-AT's ecn too).
AUTH_OPEN = 0
AUTH_WEP = 1
AUTH_WPA_PSK = 2
AUTH_WPA2_PSK = 3
AUTH_WPA_WPA2_PSK = 4
AUTH_WPA2_ENTERPRISE = 5
AUTH_WPA3_PSK = 6
AUTH_WPA2_WPA3_PSK = 7

_WiPyScan = namedtuple("WLANScan", ("ssid", "bssid", "sec", "channel", "rssi"))


def _no_softap():
    raise OSError(errno.EOPNOTSUPP, "the WiPy's WLAN(mode=WLAN.AP) is not offered: use WLAN(network.AP_IF)")


def _mac(text):
    return bytes(int(part, 16) for part in text.split(":"))


class WLAN:
    # The WiPy's (cc3200) names.
    STA = 0
    AP = 2
    WEP = 1
    WPA = 2
    WPA2 = 2
    IF_STA = STA_IF
    IF_AP = AP_IF

    def __init__(self, interface_id=0, mode=None, *, ssid=None, auth=None, channel=1, antenna=None):
        self._wipy = mode is not None
        self._ap = mode == WLAN.AP if self._wipy else interface_id == AP_IF
        if self._wipy and self._ap:
            _no_softap()
        self._auth = auth

    def active(self, is_active=None):
        if self._ap:
            return call("ap.active", None if is_active is None else bool(is_active))
        return call("wlan.active", is_active)

    def connect(self, ssid=None, key=None, *, bssid=None, auth=None, timeout=None):
        if self._ap:
            raise OSError(errno.EPERM)
        if auth is not None:
            self._auth = auth
            key = auth[1] if auth else None
        call("wlan.connect", ssid, key)
        # The WiPy blocks until connected (or until timeout ms: ETIMEDOUT); ESP32 ports return at once.
        if self._wipy or timeout is not None:
            call("wlan.wait", timeout)

    def disconnect(self):
        if not self._ap:
            call("wlan.disconnect")

    def isconnected(self):
        return call("ap.isconnected") if self._ap else call("wlan.isconnected")

    def status(self, param=None):
        if param is not None:
            if self._ap and param == "stations":
                return [(_mac(mac),) for mac, ip in call("ap.stations")]
            raise ValueError("unknown status param")
        return STAT_IDLE if self._ap else call("wlan.status")

    def scan(self):
        if self._ap:
            raise OSError(errno.EPERM)
        found = call("wlan.scan")
        if self._wipy:
            return [_WiPyScan(s, _mac(b), min(sec, WLAN.WPA2), None, rssi) for s, b, ch, rssi, sec, hidden in found]
        return [(s.encode(), _mac(b), ch, rssi, sec, hidden) for s, b, ch, rssi, sec, hidden in found]

    def ifconfig(self, *args, **kwargs):
        # ESP32: ifconfig([(ip, subnet, gateway, dns)]); WiPy: ifconfig(id=0, config='dhcp' | (...)).
        config = kwargs.get("config", args[-1] if args and not isinstance(args[-1], int) else None)
        if self._ap:
            if config is None:
                return tuple(call("ap.ifconfig", None))
            call("ap.ifconfig", list(config))
            return
        if config is None:
            return tuple(call("wlan.ifconfig", None))
        call("wlan.ifconfig", config if config == "dhcp" else list(config))

    def config(self, *args, **kwargs):
        if kwargs and self._ap:
            call("ap.config_set", kwargs)
            return
        if kwargs:
            if args:
                raise TypeError("either query or set")
            for name, value in kwargs.items():
                call("wlan.setconfig", name, value)
            return
        if len(args) != 1:
            raise TypeError("can query only one param")
        if self._ap:
            return call("ap.config_get", args[0])
        value = call("wlan.config", args[0])
        return _mac(value) if args[0] == "mac" else value

    # The WiPy's accessors.
    def mode(self, mode=None):
        if mode is None:
            return WLAN.AP if self._ap else WLAN.STA
        if mode == WLAN.AP:
            _no_softap()

    def ssid(self, ssid=None):
        if ssid is not None:
            _no_softap()
        return self.config("essid")

    def auth(self, auth=None):
        if auth is not None:
            _no_softap()
        return self._auth

    def mac(self):
        return self.config("mac")
`;
