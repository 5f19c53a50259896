"""The pskg explorer (Streamlit): pages, data access, search, evidence, graph view."""
