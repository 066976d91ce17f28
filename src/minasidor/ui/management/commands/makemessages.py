"""``makemessages`` that never guesses: new strings arrive untranslated, not as fuzzy near-matches.

Fuzzy guesses look translated in the catalogue but are ignored when compiled, so a page silently shows
English. Without them, every new string is visibly empty until someone translates it (a test checks).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]  # noqa: RUF012 - Django's own shape
