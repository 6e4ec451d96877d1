"""Chapter 2's widgets for its digits sections."""

__all__: list[str] = []
