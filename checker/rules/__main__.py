"""``python -m checker.rules check [PATH]``: the tutor commands without the ``replycheck`` script
(and without pytest). Same commands and exit codes as ``replycheck rules``."""
from .cli import main

main()
