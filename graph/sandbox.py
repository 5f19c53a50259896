"""Limits a query worker process puts on itself before it opens the store.

* ``limit_memory``: an address-space limit (RLIMIT_AS). An allocation past it fails; the Rust
  side of pyoxigraph then aborts the process (SIGABRT), which the pool reports as a query
  over the memory limit (HTTP 503) and replaces the worker.
* ``deny_network``: a seccomp filter that makes ``socket(AF_INET | AF_INET6, ...)`` fail with
  EACCES, so a query cannot make the server open a connection anywhere (SERVICE, LOAD), even
  one the endpoint's own SERVICE check misread. Unix sockets (the pool's channel) still work.
  Linux on x86-64 and arm64 only; elsewhere it returns False and the SERVICE check stands alone.
"""
from __future__ import annotations

import ctypes
import os
import platform
import resource
import struct

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
EACCES, AF_INET, AF_INET6 = 13, 2, 10
LD_W_ABS, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06
# machine -> (AUDIT_ARCH_*, socket syscall number, whether x32 syscall numbers exist)
ARCHES = {"x86_64": (0xC000003E, 41, True), "aarch64": (0xC00000B7, 198, False)}
X32_BIT = 0x40000000


def vm_size() -> int:
    """This process's address-space size in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(extra_bytes: int) -> int:
    """Cap the address space at its current size plus ``extra_bytes``; returns the cap."""
    cap = vm_size() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def _filter(arch: int, socket_nr: int, x32: bool) -> bytes:
    def ins(code, jt, jf, k):
        return struct.pack("HBBI", code, jt, jf, k)

    deny = SECCOMP_RET_ERRNO | EACCES
    prog = [
        ins(LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        ins(JEQ_K, 0, 6, arch),  # another ABI: allow (jump to ALLOW)
        ins(LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        ins(JGE_K, 5, 0, X32_BIT) if x32 else ins(JEQ_K, 5, 0, 0xFFFFFFFF),  # x32 numbers: deny
        ins(JEQ_K, 0, 3, socket_nr),  # not socket(): allow
        ins(LD_W_ABS, 0, 0, 16),  # args[0] (low word): the address family
        ins(JEQ_K, 2, 0, AF_INET),
        ins(JEQ_K, 1, 0, AF_INET6),
        ins(RET_K, 0, 0, SECCOMP_RET_ALLOW),
        ins(RET_K, 0, 0, deny),
    ]
    return b"".join(prog)


def deny_network() -> bool:
    """Install the filter in this process (inherited by threads started afterwards)."""
    spec = ARCHES.get(platform.machine())
    if spec is None or not os.path.exists("/proc/self/status"):
        return False
    code = _filter(*spec)
    buf = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        return False
    return True
