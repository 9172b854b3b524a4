"""ui: the `yingji` command line and the Streamlit assistant."""
