"""`yingji ui [--store DIR | --neo4j URI] [--port N] [--address HOST]`: start the Streamlit assistant.

Wired into the main CLI by `register(sub, common)`; `python -m ui.cli_ui ui …` works on its own too.
The process becomes `streamlit run ui/app/main.py … -- --store DIR`, so a signal to it stops the app,
and the app closes the store (and the embedded server it started) on exit.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app" / "main.py"
DEFAULT_PORT = 8501


def streamlit_command(store: str | None, neo4j: str | None, port: int, address: str) -> list[str]:
    # -P: the current folder is not put on sys.path, so a stray cmd.py there cannot shadow the stdlib
    cmd = [sys.executable, "-P", "-m", "streamlit", "run", str(APP),
           "--server.headless", "true", "--server.port", str(port), "--server.address", address,
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--client.toolbarMode", "minimal", "--theme.base", "light", "--"]
    if store:
        cmd += ["--store", str(Path(store).expanduser().resolve())]
    if neo4j:
        cmd += ["--neo4j", neo4j]
    return cmd


def cmd_ui(args) -> int:
    if importlib.util.find_spec("streamlit") is None:
        print("yingji：缺少 streamlit：请执行 pip install streamlit", file=sys.stderr)
        return 2
    cmd = streamlit_command(getattr(args, "store", None), getattr(args, "neo4j", None), args.port, args.address)
    print(f"yingji 应急辅助决策界面：http://{args.address}:{args.port}", flush=True)
    os.execv(cmd[0], cmd)
    return 0  # not reached


def register(sub, common) -> None:
    s = sub.add_parser("ui", parents=[common], help="启动网页界面（指挥辅助、预案管理、案例学习、Cypher 查询）")
    s.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    s.add_argument("--address", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    s.set_defaults(func=cmd_ui)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yingji")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="嵌入式存储目录（默认用户数据目录；或 YINGJI_STORE）")
    common.add_argument("--neo4j", metavar="URI", help="使用 Neo4j（或 YINGJI_NEO4J_URI）")
    common.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    register(parser.add_subparsers(dest="command", required=True), common)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
