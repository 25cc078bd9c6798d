"""``python -m silkhub``: the same command as the installed ``silkhub`` script."""

from silkhub.cli import main

main()
