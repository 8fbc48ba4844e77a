"""``python -m peoscales``: the command line, as the ``peoscales`` script."""

from peoscales._cli import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
