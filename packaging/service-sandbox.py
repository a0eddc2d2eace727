#!/usr/bin/python3
"""Runs a command under two of vigil.service's confinements, to check the recorder works with
them where systemd is not PID 1 (containers, CI) and `systemd-run -p …` cannot:

- MemoryDenyWriteExecute=yes: the kernel's PR_SET_MDWE (refuse writable+executable memory
  and gaining exec), the rule systemd enforces (with seccomp on systemd 252);
- SystemCallFilter=@system-service with SystemCallErrorNumber=EPERM: a seccomp filter
  allowing exactly the system calls `systemd-analyze syscall-filter @system-service` lists.

Usage (needs python3-seccomp and systemd-analyze; not part of `make test`):
  packaging/service-sandbox.py target/debug/vigil --data-dir DIR run --for 30s --web 127.0.0.1:8443
then check that it recorded, served and stopped cleanly. Checked on 2026-12-05 with an RTSP
camera, demo cameras (one with the person detector) and the web viewer: all worked.
"""
import ctypes
import mmap
import os
import subprocess
import sys

import seccomp

PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1


def syscalls(group, seen):
    """The system calls of a systemd group, nested groups expanded."""
    listing = subprocess.run(["systemd-analyze", "syscall-filter", group],
                             capture_output=True, text=True, check=True).stdout
    names = set()
    for line in (l.strip() for l in listing.splitlines()[1:]):
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            if line not in seen:
                seen.add(line)
                names |= syscalls(line, seen)
        else:
            names.add(line)
    return names


def deny_write_execute():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
        sys.exit(f"prctl(PR_SET_MDWE) failed (errno {ctypes.get_errno()}): kernel 6.3 or newer needed")
    try:
        mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    except OSError:
        return
    sys.exit("a writable and executable mapping was still allowed: MDWE is not in force")


def filter_system_calls():
    allowed = syscalls("@system-service", set())
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(1))  # EPERM
    for name in sorted(allowed):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError):
            pass  # a name this architecture has no number for
    f.load()
    print(f"service-sandbox: MDWE on, {len(allowed)} system calls allowed", file=sys.stderr)


if len(sys.argv) < 2:
    sys.exit(__doc__)
deny_write_execute()
filter_system_calls()
os.execv(sys.argv[1], sys.argv[1:])
