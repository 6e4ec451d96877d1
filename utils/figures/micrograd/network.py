"""Chapter 3's figures for its network sections (Colab-safe: no Streamlit)."""
