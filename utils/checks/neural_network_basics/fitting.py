"""Checks for chapter 2's fitting sections."""

__all__: list[str] = []
