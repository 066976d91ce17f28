"""The citizen's cases (Mina ärenden): the list, one case with its history and what happens next, messages
both ways, completions, and a new question to the authority. Reads and writes go through ``registers``."""
