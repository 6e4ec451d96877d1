"""Chapter 2's demos for its training sections."""

__all__: list[str] = []
