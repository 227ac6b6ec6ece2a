#!/usr/bin/env python3
"""Where a guest boot spends its time: a sampling profile through QMP.

usage: profile-boot.py RUN_DIR SECONDS VMLINUX [INTERVAL_MS]

Reruns the boot saved in RUN_DIR/qemu-cmdline.sh (every drvlife boot saves
one) with its own QMP socket, asks QEMU for every vCPU's registers
("info registers -a") every INTERVAL_MS (default 20) for SECONDS, then
prints the functions the vCPUs were in, most frequent first, overall and
per 10 s of host time, symbolized with VMLINUX's symbol table (nm). Under
TCG a sample costs the guest nothing it would notice; an idle vCPU shows as
its halt function. Samples: RUN_DIR/profile-samples.txt.
"""

import bisect
import collections
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time


def boot_command(run_dir: str, sock: str) -> list:
    with open(os.path.join(run_dir, "qemu-cmdline.sh")) as f:
        argv = shlex.split(f.read())
    # Our own QMP socket; the console keeps going to the run's files, and
    # an interactive boot's stdio terminal is not ours to take.
    for i, arg in enumerate(argv):
        if arg == "-qmp":
            argv[i + 1] = f"unix:{sock},server=on,wait=off"
        if arg.startswith("stdio,id="):
            argv[i] = "null," + arg.split(",", 1)[1].replace("signal=off", "").rstrip(",")
    return argv


def qmp(sock: str):
    for _ in range(200):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    conn = socket.socket(socket.AF_UNIX)
    conn.connect(sock)
    stream = conn.makefile("rw")
    stream.readline()

    def call(command: str, **arguments) -> dict:
        stream.write(json.dumps({"execute": command, "arguments": arguments}) + "\n")
        stream.flush()
        while True:
            reply = json.loads(stream.readline())
            if "return" in reply or "error" in reply:
                return reply

    call("qmp_capabilities")
    return call


def symbols(vmlinux: str):
    table = []
    nm = subprocess.run(["nm", "-n", vmlinux], capture_output=True, text=True, check=True)
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    starts = [a for a, _ in table]

    def name(rip: int) -> str:
        i = bisect.bisect_right(starts, rip) - 1
        return table[i][1] if i >= 0 and rip >= 0xFFFF000000000000 else "(not kernel text)"

    return name


def main() -> int:
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    run_dir, seconds, vmlinux = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    interval = float(sys.argv[4]) / 1000 if len(sys.argv) == 5 else 0.02
    name = symbols(vmlinux)
    sock = f"/tmp/drvlife-profile-{os.getpid()}.sock"
    guest = subprocess.Popen(
        boot_command(run_dir, sock),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = []
    try:
        call = qmp(sock)
        start = time.monotonic()
        while time.monotonic() - start < seconds and guest.poll() is None:
            try:
                regs = call("human-monitor-command", **{"command-line": "info registers -a"})
            except (OSError, ValueError):
                break  # the guest powered off
            at = time.monotonic() - start
            for rip in re.findall(r"RIP=([0-9a-f]{16})", regs.get("return", "")):
                samples.append((at, int(rip, 16)))
            time.sleep(interval)
    finally:
        guest.kill()
        guest.wait()
        if os.path.exists(sock):
            os.unlink(sock)
    with open(os.path.join(run_dir, "profile-samples.txt"), "w") as out:
        for at, rip in samples:
            out.write(f"{at:.3f} {rip:016x} {name(rip)}\n")
    overall = collections.Counter(name(rip) for _, rip in samples)
    windows = collections.defaultdict(collections.Counter)
    for at, rip in samples:
        windows[int(at // 10) * 10][name(rip)] += 1
    total = max(len(samples), 1)
    print(f"{len(samples)} vCPU samples in {seconds:.0f} s of host time")
    for fn, n in overall.most_common(30):
        print(f"{100 * n / total:5.1f}% {n:6d} {fn}")
    for at in sorted(windows):
        top = ", ".join(f"{fn} {n}" for fn, n in windows[at].most_common(5))
        print(f"  {at:3d}-{at + 10:3d} s: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
