/**
 * `time` (also `utime`): the port's own time module, except that the sleeps wait on the host
 * hand-off (the port's sleep spins the CPU) and end early on Ctrl-C with KeyboardInterrupt, and
 * that ticks_us/ticks_cpu count microseconds as a board's do (the port's move in whole ms).
 */
export const TIME_PY = String.raw`
import time as _port_time
from _copro_io import sleep_ms as _sleep_ms

for _name in dir(_port_time):
    if not _name.startswith("__"):
        globals()[_name] = getattr(_port_time, _name)

from _copro import ticks_us  # after the copy above, which would put the port's back

ticks_cpu = ticks_us


def sleep(seconds):
    _sleep_ms(seconds * 1000)


def sleep_ms(ms):
    _sleep_ms(ms)


def sleep_us(us):
    _sleep_ms(us / 1000)
`;
