"""The Streamlit app: `main.py` is the entry script, one module per page (each runs as a script)."""
