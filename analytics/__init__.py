"""Pure analytics for Panorama explorer: polars and pydantic only, never streamlit."""
