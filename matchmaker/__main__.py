"""`python -m matchmaker …` is the `matchmaker` command (how `serve` starts its worker)."""

from matchmaker.cli import main

main()
