"""The citizen's own pages ("Mina sidor"): the landing page after login and, as they are built, the pension overview."""
