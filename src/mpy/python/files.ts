/**
 * `_copro_files`: the port's file errors in MicroPython's numbers. The WebAssembly port raises
 * OSError with Emscripten's errno values (a missing file is 44, not errno.ENOENT, 2), so board
 * code such as `except OSError as e: if e.errno == errno.ENOENT` would miss. open() and the os
 * file functions are wrapped to raise the numbers the errno module (and a board) uses. input()
 * reads a line from copro mpy's standard input (the port's own has nothing to read from).
 */
export const FILES_PY = String.raw`
import builtins, os
from _copro_io import call

# Emscripten's (WASI's) errno -> MicroPython's (Linux's).
_NUMBERS = {2: 13, 8: 9, 10: 16, 20: 17, 28: 22, 29: 5, 31: 21, 44: 2, 51: 28, 54: 20, 55: 39, 63: 1, 69: 30, 75: 18}


def _board_errno(function):
    def wrapped(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OSError as e:
            if e.errno in _NUMBERS:
                raise OSError(_NUMBERS[e.errno])
            raise

    return wrapped


def _input(prompt=""):
    line = call("input", str(prompt))
    if line is None:
        raise EOFError
    return line


def install():
    builtins.open = _board_errno(builtins.open)
    for name in ("stat", "listdir", "ilistdir", "remove", "mkdir", "rmdir", "rename", "chdir", "statvfs"):
        if hasattr(os, name):
            setattr(os, name, _board_errno(getattr(os, name)))
    builtins.input = _input
`;
