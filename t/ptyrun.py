#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal and plays a script against it.

    ptyrun.py [-t SECONDS] [-s ROWSxCOLS] STEP... -- COMMAND [ARG...]

The command gets a real terminal: its own session, the pty as controlling
terminal and foreground, stdin, stdout and stderr on it unless redirected by
the command itself; -s gives the terminal that window size before the
command starts. Steps, in order, each bounded by SECONDS (default 10):

    expect:TEXT   wait until TEXT has appeared in the output (since the last
                  expect); exits 124 with the transcript on stderr if not
    send:KEYS     type KEYS; Python escapes work (\\x03 is Ctrl-C, \\r Enter)
    mode:         print "MODE icanon=0|1 echo=0|1" for the terminal now
    signal:NAME   send signal NAME (TERM, HUP, ...) to the command

After the steps, reads until the command exits, prints the whole transcript
on stdout, and exits with the command's status (128+N for signal N).
No sleeps: every wait is on the pty's output or the process, with a bound.
"""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main(argv):
    timeout = 10.0
    size = None
    steps = []
    while argv and argv[0] != "--":
        if argv[0] == "-t":
            timeout = float(argv[1])
            argv = argv[2:]
            continue
        if argv[0] == "-s":
            size = [int(n) for n in argv[1].split("x")]
            argv = argv[2:]
            continue
        steps.append(argv[0])
        argv = argv[1:]
    if not argv or len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1:]

    pid, fd = pty.fork()
    if pid == 0:
        try:
            if size:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)

    out = bytearray()
    seen = 0  # where the next expect starts looking

    def read_some(deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return False
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out.extend(data)
        return True

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "expect":
            want = arg.encode()
            deadline = time.monotonic() + timeout
            while out.find(want, seen) < 0:
                if not read_some(deadline):
                    sys.stderr.write("ptyrun.py: timed out waiting for %r; output so far:\n" % arg)
                    sys.stderr.write(out.decode("utf-8", "replace"))
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    sys.exit(124)
            seen = out.find(want, seen) + len(want)
        elif kind == "send":
            os.write(fd, arg.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "mode":
            lflag = termios.tcgetattr(fd)[3]
            out.extend(b"MODE icanon=%d echo=%d\n" % (bool(lflag & termios.ICANON),
                                                      bool(lflag & termios.ECHO)))
        elif kind == "signal":
            os.kill(pid, getattr(signal, "SIG" + arg))
        else:
            sys.exit("ptyrun.py: unknown step %r" % step)

    deadline = time.monotonic() + timeout
    while read_some(deadline):
        pass
    # The command may have left children holding the pty: bounded wait for it alone.
    status = None
    while status is None and time.monotonic() < deadline:
        wpid, st = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            status = st
        else:
            select.select([fd], [], [], 0.05)
    if status is None:
        sys.stderr.write("ptyrun.py: the command did not exit\n")
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        status = 124 << 8
    sys.stdout.write(out.decode("utf-8", "replace"))
    if os.WIFSIGNALED(status):
        sys.exit(128 + os.WTERMSIG(status))
    sys.exit(os.WEXITSTATUS(status))


if __name__ == "__main__":
    main(sys.argv[1:])
