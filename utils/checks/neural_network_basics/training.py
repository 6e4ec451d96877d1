"""Checks for chapter 2's training sections."""

__all__: list[str] = []
