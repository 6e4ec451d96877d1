"""Chapter 2's widgets for its training sections."""

__all__: list[str] = []
