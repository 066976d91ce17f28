"""The case handler's pages (handläggning): the queue of open cases by type and age, one case with its history,
messages, documents and signature evidence, and the actions — take up, answer, ask for a completion, decide,
close — each made through ``registers`` in the handler's name and recorded in the citizen's access log.

Staff only, under the staff path, behind the staff login (password and a TOTP code), Swedish only."""
