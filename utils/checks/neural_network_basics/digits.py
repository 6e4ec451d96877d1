"""Checks for chapter 2's digits sections."""

__all__: list[str] = []
