/**
 * `_copro_main`: installs copro's modules under the names a board has (socket/usocket, ssl/ussl,
 * tls, network, select/uselect, time/utime) and runs a script as MicroPython's Unix port does: the
 * script is `__main__`, `sys.argv` is [script, args...], an uncaught exception prints its
 * traceback on stderr and gives exit status 1, SystemExit gives its code.
 */
export const RUNNER_PY = String.raw`
import sys
import io

# Frames of copro's own modules and of this runner: on a board those calls are C and leave none.
_OWN_FRAMES = ('  File "/copro/', '  File "<stdin>"')


def install():
    import _copro_socket, _copro_ssl, _copro_tls, _copro_network, _copro_select, _copro_time, _copro_files
    _copro_files.install()
    for names, module in (
        (("socket", "usocket"), _copro_socket),
        (("ssl", "ussl"), _copro_ssl),
        (("tls",), _copro_tls),
        (("network",), _copro_network),
        (("select", "uselect"), _copro_select),
        (("time", "utime"), _copro_time),
    ):
        for name in names:
            sys.modules[name] = module


def print_traceback(exc):
    text = io.StringIO()
    sys.print_exception(exc, text)
    lines = [line for line in text.getvalue().split("\n") if not any(line.startswith(own) for own in _OWN_FRAMES)]
    sys.stderr.write("\n".join(lines))


def exit_code(exc):
    value = exc.args[0] if exc.args else None
    if value is None:
        return 0
    return value & 255 if isinstance(value, int) else 1


def run(path, shown_as, argv):
    sys.argv.clear()
    sys.argv.extend(argv)
    with open(path) as f:
        source = f.read()
    # The script's globals are __main__'s, so "import __main__" finds them, as on the Unix port.
    import __main__
    scope = __main__.__dict__
    scope["__file__"] = shown_as
    try:
        exec(compile(source, shown_as, "exec"), scope)
    except SystemExit as exc:
        return exit_code(exc)
    except BaseException as exc:
        print_traceback(exc)
        return 1
    return 0
`;
