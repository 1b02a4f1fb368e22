"""``python -m generator`` is ``generate-client``."""

from generator.cli import main

if __name__ == "__main__":
    main()
