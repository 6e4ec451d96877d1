"""Figures for chapter 4.5's sections 4-6 (the hierarchical model, training, questions)."""

from __future__ import annotations
