#!/usr/bin/env bash
# Runs Django's deployment checks against the production profile with throwaway secrets (never used for
# anything else), failing on any warning. Also shows that the profile refuses the simulators.
set -euo pipefail
cd "$(dirname "$0")/.."

throwaway=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_SETTINGS_MODULE=minasidor.conf.production
export MINASIDOR_SECRET_KEY="$throwaway" MINASIDOR_AUDIT_PSEUDONYM_KEY="$throwaway-audit"
export MINASIDOR_ALLOWED_HOSTS=minasidor.example
export MINASIDOR_BANKID_BASE_URL=https://appapi2.bankid.com/rp/v6.0/

MINASIDOR_SIMULATORS_ENABLED=false .venv/bin/python manage.py check --deploy --fail-level WARNING

if MINASIDOR_SIMULATORS_ENABLED=true .venv/bin/python manage.py check >/dev/null 2>&1; then
  echo "The production profile started with simulators enabled; it must refuse." >&2
  exit 1
fi
echo "The production profile refuses simulators: ok"
