"""``python -m dl_exercises`` is the ``dlx`` command."""

from .cli.app import main

if __name__ == "__main__":
    main()
