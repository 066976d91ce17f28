"""Paper forms (blanketter) people order by post: the catalogue, the orders, and their print files.

A person orders a form by phone (the telephone service) or on the web; the back office keeps the order and
writes it into a print file for the printing house, which sends the form to the registered address
(docs/decisions/0200, docs/print-files.md).
"""
