"""Chapter 3's network sections."""

__all__: list[str] = []
