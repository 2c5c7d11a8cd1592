#!/usr/bin/env python3
"""Time from Ctrl-C (or Ctrl-\\) to psh's next prompt, on a real terminal,
for everything psh runs itself: a loop of builtins, `read`, a lab run
(threads and processes), the wait for $(...).  SPEC §6 asks for 50 ms.

Usage: python3 scripts/interrupt-latency.py (it builds psh first)
Needs python3-pexpect (Debian) or `pip install pexpect`.
"""
import json
import os
import statistics
import subprocess
import sys
import time

import pexpect


def built_psh():
    """Build psh in release mode; the path cargo gives for the binary
    (target/<host triple>/release/psh, see .cargo/config.toml)."""
    out = subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--message-format=json-render-diagnostics"],
        cwd=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
        check=True, capture_output=True, text=True).stdout
    for line in reversed(out.splitlines()):
        msg = json.loads(line)
        if msg.get("executable") and msg.get("target", {}).get("name") == "psh":
            return msg["executable"]
    sys.exit("interrupt-latency.py: cargo built no psh")


PSH = built_psh()


def measure(cmd, key="\x03", settle=0.3, runs=10):
    times = []
    for _ in range(runs):
        env = dict(PATH=os.environ["PATH"], TERM="xterm", HOME="/tmp", NO_COLOR="1")
        p = pexpect.spawn(PSH, ["--norc"], env=env, timeout=5)
        p.delaybeforesend = None
        p.expect(r" \$ ")
        p.sendline(cmd)
        p.expect(r"\x1b\[\?2004l\r\n")  # the editor let go: the command runs
        time.sleep(settle)
        start = time.monotonic()
        p.send(key)
        p.expect(r" \$ ")
        times.append((time.monotonic() - start) * 1000)
        p.close(force=True)
    return statistics.median(times), max(times)


CASES = [
    ("while true { : }", "\x03"),
    ("while true { : }", "\x1c"),
    ("read x", "\x03"),
    ("echo $(sleep 10) after", "\x03"),
    ("threads 2 booth 40 --chore 100 --quiet", "\x03"),
    ("procs 2 booth 40 --chore 100 --quiet", "\x03"),
]

print("| command | key | median | max |")
print("| --- | --- | ---: | ---: |")
for cmd, key in CASES:
    med, worst = measure(cmd, key)
    name = "Ctrl-C" if key == "\x03" else "Ctrl-\\"
    print(f"| `{cmd}` | {name} | {med:.1f} ms | {worst:.1f} ms |")
    sys.stdout.flush()
