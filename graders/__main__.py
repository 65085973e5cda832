"""`python -m graders ...` is the `dlgrade` command."""

from graders.cli import main

main()
