"""Chapter 2's widgets for its fitting sections."""

__all__: list[str] = []
