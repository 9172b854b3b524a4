"""Entry script of `yingji ui`: page setup and navigation between the four pages."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
# no icons: Streamlit turns a page's material icon into a favicon fetched from a remote font service
PAGES = (("commander", "指挥辅助"), ("drafter", "预案管理"), ("trainee", "案例学习"),
         ("console", "Cypher 查询"))
# Streamlit's own widget strings are English; these rules put Chinese in their place.
CHINESE_WIDGETS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem}
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "拖放文件到此处，或点击左侧按钮；单个文件不超过 200MB"; font-size: 0.8rem}
[data-testid="InputInstructions"] {display: none}
</style>"""


def main() -> None:
    st.set_page_config(page_title="应急预案辅助决策", layout="wide")
    st.html(CHINESE_WIDGETS)
    pages = [st.Page(str(HERE / f"page_{name}.py"), title=title, url_path=name, default=i == 0)
             for i, (name, title) in enumerate(PAGES)]
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
