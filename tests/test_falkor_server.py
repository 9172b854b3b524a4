"""The embedded server: reuse, stop only what we started, crash recovery, one server per folder."""
from __future__ import annotations

import json
import os
import signal
import time

from kg.cypher import cypher
from kg.falkor_backend import FalkorBackend
from kg.falkor_server import FalkorServer, _pid_alive, socket_path_for

PUT = cypher("test_put_meta", "MERGE (m:Meta {key: $key}) SET m.value = $value", ("key", "value"))
GET = cypher("test_get_meta", "MATCH (m:Meta {key: $key}) RETURN m.value AS value", ("key",))


def test_second_opener_reuses_server_and_only_starter_stops_it(store_dir):
    first = FalkorBackend(store_dir)
    second = FalkorBackend(store_dir)
    assert first.server.started_here and not second.server.started_here
    assert first.server.pid == second.server.pid
    first.write([(PUT, {"key": "a", "value": "1"})])
    assert second.read(GET, {"key": "a"}) == [{"value": "1"}]
    pid = first.server.pid
    second.close()
    assert _pid_alive(pid)
    first.close()
    assert not _pid_alive(pid)
    assert not (store_dir / "server.json").exists()


def test_no_tcp_port_is_opened(store_dir):
    b = FalkorBackend(store_dir)
    try:
        with open(f"/proc/{b.server.pid}/net/tcp") as fh:
            listening = [ln for ln in fh.read().splitlines()[1:] if ln.split()[3] == "0A"]
        own_inodes = {os.readlink(f"/proc/{b.server.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{b.server.pid}/fd")}
        assert not any(f"socket:[{ln.split()[9]}]" in own_inodes for ln in listening)
        assert b.server.socket.is_socket()
    finally:
        b.close()


def test_data_survives_server_crash_and_stale_files_are_recovered(store_dir):
    b = FalkorBackend(store_dir)
    b.write([(PUT, {"key": "k", "value": "persisted"})])
    time.sleep(1.2)  # appendfsync everysec
    pid = b.server.pid
    os.kill(pid, signal.SIGKILL)
    b.server._proc.wait()
    assert (store_dir / "server.json").exists()  # stale state left behind by the crash
    again = FalkorBackend(store_dir)
    try:
        assert again.server.started_here and again.server.pid != pid
        assert again.read(GET, {"key": "k"}) == [{"value": "persisted"}]
    finally:
        again.close()


def test_stale_pid_of_unrelated_process_is_not_trusted(store_dir):
    state = {"pid": os.getpid(), "socket": str(socket_path_for(store_dir.resolve()))}
    (store_dir / "server.json").write_text(json.dumps(state))
    b = FalkorBackend(store_dir)
    try:
        assert b.server.started_here and b.server.pid != os.getpid()
    finally:
        b.close()


def test_long_store_path_uses_short_socket(tmp_path):
    deep = tmp_path / ("很长的目录名" * 12)
    server = FalkorServer(deep)
    assert len(str(server.socket)) <= 100
    b = FalkorBackend(deep)
    try:
        b.write([(PUT, {"key": "x", "value": "y"})])
        assert b.read(GET, {"key": "x"}) == [{"value": "y"}]
    finally:
        b.close()
