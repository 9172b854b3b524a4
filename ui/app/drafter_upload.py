"""预案管理 › 上传: new plans and registries, written to a folder, then ingested with a progress bar."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.errors import StoreError
from ui import state
from ui.uploads import ingest_uploads, save_uploads

KINDS_ZH = {"plan": "预案", "regulation": "法规", "case": "案例", "registry": "名录", "gazetteer": "地名库",
            "other": "其他"}
TYPES = ["txt", "md", "docx", "pdf", "html", "htm", "doc", "csv", "xlsx"]


def upload(backend, config) -> None:
    st.caption("支持预案、法规、案例（.txt/.md/.docx/.pdf/.html）和资源名录（.csv/.xlsx）。"
               "同名文件再次上传会作为新版本保存。")
    files = st.file_uploader("选择文件", type=TYPES, accept_multiple_files=True, key="drf_files")
    if not st.button("导入", type="primary", disabled=not files, key="drf_ingest"):
        return
    folder, refused = save_uploads([(f.name, f.getvalue()) for f in files])
    for name in refused:
        st.warning(f"{name}：不支持的文件类型，已跳过")
    bar = st.progress(0.0, text="准备导入…")

    def progress(i: int, n: int, path: Path) -> None:
        bar.progress(i / max(n, 1), text=f"正在导入（{i + 1}/{n}）：{Path(path).name}")

    try:
        report = ingest_uploads(backend, folder, config.store_dir, progress=progress)
    except StoreError as exc:
        bar.empty()
        st.error(f"导入失败：{exc}")
        return
    bar.progress(1.0, text="导入完成")
    state.after_ingest()
    st.success(f"导入 {len(report.ingested)} 个文件，未变化 {len(report.unchanged)} 个，失败 {len(report.errors)} 个；"
               f"条款 {report.clauses} 条，用时 {report.seconds:.1f} 秒")
    for item in report.ingested:
        extra = f"，{item['rows']} 行" if "rows" in item else f"，{item.get('clauses', 0)} 条款"
        st.markdown(f"- {item['title']}（{KINDS_ZH.get(item['kind'], item['kind'])}{extra}）")
        for err in item.get("row_errors") or []:
            st.caption(f"  {err}")
    for err in report.errors:
        st.error(err["error"])
