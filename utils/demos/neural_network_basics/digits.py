"""Chapter 2's demos for its digits sections."""

__all__: list[str] = []
