#!/usr/bin/env python3
"""Drive a program on a pseudo terminal, as a person at a terminal would.

usage: pty-session.py LOG TIMEOUT STEP... -- COMMAND...

Each STEP is "expect:REGEX" (wait until the output so far, since the last
match, matches REGEX) or "send:TEXT" (type TEXT and Enter). The program's
whole output goes to LOG. Exit status: the program's own once the steps are
done and it has ended; 90 if a step timed out (TIMEOUT seconds per step and
for the program's end), with the step named on stderr.
"""

import os
import pty
import re
import select
import signal
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    if "--" not in args or len(args) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sep = args.index("--")
    log_path, timeout, steps, command = args[0], float(args[1]), args[2:sep], args[sep + 1 :]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    log = open(log_path, "wb")
    seen = b""

    def read_for(seconds: float) -> bool:
        """Reads output for up to SECONDS; False once the program closed it."""
        nonlocal seen
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            return True
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        log.write(data)
        log.flush()
        seen += data
        return True

    def give_up(what: str) -> int:
        print(f"pty-session: timed out after {timeout:.0f} s waiting for {what}", file=sys.stderr)
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return 90

    for step in steps:
        kind, _, text = step.partition(":")
        if kind == "send":
            os.write(fd, text.encode() + b"\r")
            continue
        if kind != "expect":
            print(f"pty-session: bad step {step!r}", file=sys.stderr)
            return 2
        pattern = re.compile(text.encode())
        deadline = time.monotonic() + timeout
        while not (match := pattern.search(seen)):
            left = deadline - time.monotonic()
            if left <= 0 or not read_for(left):
                return give_up(f"{text!r}")
        seen = seen[match.end() :]

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        read_for(0.2)
    return give_up("the program to end")


if __name__ == "__main__":
    sys.exit(main())
