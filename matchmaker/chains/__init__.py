"""Local value chains: supplier → processor (→ processor) → user, built from stored suggestions.

``finder`` is pure (no Flask, no database); the web pages live in ``routes`` and the CLI in
``commands``, so importing the finder never pulls in the web stack.
"""
