"""An SMTP test server for development and tests: receives real SMTP and keeps what arrives.

The portal's notices are sent through Django's SMTP backend to this server (``make run`` starts it); tests and
browser journeys read the received messages from its JSON API, a person from its page (docs/simulators.md).
"""
