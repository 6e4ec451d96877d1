"""Chapter 3's engine sections."""

__all__: list[str] = []
