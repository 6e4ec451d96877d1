"""Chapter 2's figures for its digits sections (Colab-safe: no Streamlit)."""
