"""Keep a loopback cluster on loopback: worker processes in a network namespace that has only ``lo``.

TensorFlow's gRPC server binds every interface (``[::]:PORT``), whatever
address ``TF_CONFIG`` names, and it is unauthenticated: it runs the graph ops
it is sent. ``day4.distributed`` starts two such workers on one machine; on a
café or campus network anyone could reach them while the exercise runs.
On Linux the workers therefore run in a network namespace of their own, whose
only interface is loopback: they reach each other at ``localhost``, and nothing
outside the namespace reaches them.

- ``LoopbackNamespace.start()``: a small holder process creates the namespace
  (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, which needs no privileges where the
  kernel allows user namespaces; root needs only ``CLONE_NEWNET``), brings ``lo``
  up and waits; ``None`` and the reason where that is impossible.
- ``LoopbackNamespace.wrap(argv)``: the command that runs ``argv`` inside it
  (``python -m dl_exercises.train.loopback join PID -- argv…``: ``setns`` into the
  holder's namespaces while the process is still single-threaded, then ``exec``).
- ``listening_ports()``: TCP ports in LISTEN state in this process's network namespace.

Standard library only (no numpy: a process must still be single-threaded to
join a user namespace), and nothing here runs on other systems: there the
caller says on stderr that the workers listen on all interfaces.
"""

from __future__ import annotations

import ctypes
import os
import select
import subprocess
import sys
from pathlib import Path

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
READY = "dlx-loopback-ready"


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _fail(what: str) -> OSError:
    errno = ctypes.get_errno()
    return OSError(errno, f"{what}: {os.strerror(errno)}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def _loopback_up() -> None:
    """Bring ``lo`` up in this network namespace (a new one starts with it down)."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh22x", b"lo", 0)  # struct ifreq: name, flags, padding to 40 bytes
        flags = struct.unpack("16sh22x", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))


def hold() -> int:
    """The holder process: enter a new network namespace (in a new user namespace unless root), bring ``lo`` up,
    print ``READY`` and wait until the parent closes stdin (or dies)."""
    libc = _libc()
    uid, gid = os.geteuid(), os.getegid()
    in_user_ns = libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    if not in_user_ns:
        error = _fail("unshare(CLONE_NEWUSER | CLONE_NEWNET)")
        if uid != 0 or libc.unshare(CLONE_NEWNET) != 0:  # root may make a network namespace without a user one
            print(f"{error.strerror}", flush=True)
            return 1
    try:
        if in_user_ns:  # the caller is root inside, as itself outside; nothing else is mapped
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"0 {uid} 1")
            _write("/proc/self/gid_map", f"0 {gid} 1")
        _loopback_up()
    except OSError as exc:
        print(f"setting up the namespace: {exc}", flush=True)
        return 1
    print(f"{READY} {'user+net' if in_user_ns else 'net'}", flush=True)
    sys.stdin.read()  # returns when the parent closes the pipe or exits
    return 0


def join_and_exec(pid: int, argv: list[str]) -> int:
    """Enter the namespaces of process ``pid`` (its user namespace first, if it has its own) and exec ``argv``."""
    if len(os.listdir("/proc/self/task")) != 1:
        print("dlx loopback: joining a namespace needs a single-threaded process", file=sys.stderr)
        return 1
    libc = _libc()
    ours = {kind: os.readlink(f"/proc/self/ns/{kind}") for kind in ("user", "net")}
    for kind, flag in (("user", CLONE_NEWUSER), ("net", CLONE_NEWNET)):
        target = f"/proc/{pid}/ns/{kind}"
        if os.readlink(target) == ours[kind]:
            continue  # a holder that made only a network namespace shares our user namespace
        fd = os.open(target, os.O_RDONLY)
        try:
            if libc.setns(fd, flag) != 0:
                print(f"dlx loopback: {_fail(f'setns({kind})').strerror}", file=sys.stderr)
                return 1
        finally:
            os.close(fd)
    os.execv(argv[0], argv)
    return 1  # not reached


class LoopbackNamespace:
    """A network namespace with only loopback, held open by a holder process until ``close()``."""

    def __init__(self, process: subprocess.Popen, kind: str) -> None:
        self.process, self.kind = process, kind

    @property
    def pid(self) -> int:
        return self.process.pid

    @classmethod
    def start(cls, timeout: float = 20.0) -> tuple[LoopbackNamespace | None, str]:
        """``(namespace, "")``, or ``(None, why not)`` where this system cannot make one."""
        if not sys.platform.startswith("linux") or not Path("/proc/self/ns/net").exists():
            return None, f"network namespaces are Linux's ({sys.platform} has none)"
        if os.environ.get("DLX_LOOPBACK_NAMESPACE", "1").strip().lower() in ("0", "false", "no"):
            return None, "DLX_LOOPBACK_NAMESPACE=0 turned them off"
        try:
            process = subprocess.Popen([sys.executable, "-m", "dl_exercises.train.loopback", "hold"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, env=_env())
        except OSError as exc:
            return None, f"cannot start the namespace holder ({exc.strerror})"
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        line = process.stdout.readline().strip() if ready else ""
        if line.startswith(READY):
            return cls(process, line.split()[-1]), ""
        cls(process, "").close()
        if not ready:
            return None, f"the namespace holder did not answer within {timeout:.0f} s"
        return None, f"the kernel refused a network namespace ({line or 'the holder exited'})"

    def wrap(self, argv: list[str]) -> list[str]:
        """The command that runs ``argv`` inside this namespace."""
        return [sys.executable, "-m", "dl_exercises.train.loopback", "join", str(self.pid), "--", *argv]

    def close(self) -> None:
        """End the holder; the namespace goes when its last process does."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def listening_ports(pid: int | str = "self") -> dict[int, list[str]]:
    """{port: [local addresses]} of the TCP sockets in LISTEN state in the network namespace of process ``pid``."""
    found: dict[int, list[str]] = {}
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A":  # TCP_LISTEN
                address, port = fields[1].split(":")
                found.setdefault(int(port, 16), []).append(_address(address))
    return found


def _address(hex_address: str) -> str:
    """"*" for every interface, "loopback" for 127.0.0.1 or ::1, else the kernel's hex form."""
    if set(hex_address) == {"0"}:
        return "*"
    if hex_address in ("0100007F", "00000000000000000000000001000000"):
        return "loopback"
    return hex_address


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["hold"]:
        return hold()
    if args[:1] == ["join"] and len(args) > 3 and args[2] == "--":
        return join_and_exec(int(args[1]), args[3:])
    print("usage: python -m dl_exercises.train.loopback hold | join PID -- COMMAND…", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
