#!/usr/bin/env python
"""Django's command-line utility for the portal and its back office."""

from minasidor.__main__ import main

if __name__ == "__main__":
    main()
