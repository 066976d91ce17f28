"""Fetches pages under the production profile, as the deployment check's last step.

Run by ``scripts/deploy-check.sh`` after ``collectstatic``: it asks for the start page, the login page and
the accessibility statement over HTTPS, and every stylesheet and script each page names, and fails unless
each answers 200. A page whose stylesheet names a file the static manifest lacks answers 500 in production
only (the development storage serves whatever is on disk), so this is the check that catches it.
"""

from __future__ import annotations

import re
import sys

import django
from django.test import Client

PAGES = ("/", "/en/", "/logga-in/", "/tillganglighet/")
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def main() -> int:
    django.setup()
    client = Client(HTTP_HOST="minasidor.example")
    failures: list[str] = []
    assets: set[str] = set()
    for path in PAGES:
        response = client.get(path, secure=True)
        if response.status_code != 200:
            failures.append(f"{path} answered {response.status_code}")
            continue
        assets.update(ASSET.findall(response.content.decode()))
    if not assets and not failures:
        failures.append("the pages named no static files")
    for asset in sorted(assets):
        response = client.get(asset, secure=True)
        if response.status_code != 200:
            failures.append(f"{asset} answered {response.status_code}")
    for failure in failures:
        sys.stderr.write(f"production profile: {failure}\n")
    if failures:
        return 1
    sys.stdout.write(f"The production profile serves {len(PAGES)} pages and their {len(assets)} static files: ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
