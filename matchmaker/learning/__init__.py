"""Measuring and fitting the engine on labelled pairs (pure: no Flask, no database)."""
