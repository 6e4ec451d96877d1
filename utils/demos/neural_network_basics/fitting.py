"""Chapter 2's demos for its fitting sections."""

__all__: list[str] = []
