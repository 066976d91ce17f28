#!/usr/bin/env bash
# Runs Django's deployment checks against the production profile with throwaway secrets (never used for
# anything else), failing on any warning. Also shows that the profile refuses the simulators, and that it
# serves pages: the static files are collected into a scratch folder and a few pages fetched over HTTPS.
set -euo pipefail
cd "$(dirname "$0")/.."

throwaway=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_SETTINGS_MODULE=minasidor.conf.production
export MINASIDOR_SECRET_KEY="$throwaway" MINASIDOR_AUDIT_PSEUDONYM_KEY="$throwaway-audit"
export MINASIDOR_ALLOWED_HOSTS=minasidor.example
export MINASIDOR_BANKID_BASE_URL=https://appapi2.bankid.com/rp/v6.0/
export MINASIDOR_BANKID_CERT_FILE=/etc/minasidor/bankid-rp.pem MINASIDOR_BANKID_KEY_FILE=/etc/minasidor/bankid-rp-key.pem
export MINASIDOR_BANKID_CA_FILE=/etc/minasidor/bankid-ssl-root.pem
export MINASIDOR_BANKID_SIGNING_ROOT_FILE=/etc/minasidor/bankid-signing-root.pem
export MINASIDOR_SEAL_CERT_FILE=/etc/minasidor/seal.pem MINASIDOR_SEAL_KEY_FILE=/etc/minasidor/seal-key.pem
export MINASIDOR_SEAL_CHAIN_FILE=/etc/minasidor/seal-ca.pem MINASIDOR_SEAL_ROOT_FILE=/etc/minasidor/seal-root.pem
export MINASIDOR_MINPENSION_BASE_URL=https://minpension.example/api/v1/
export MINASIDOR_CONSOLE_OIDC_ISSUER=https://idp.authority.example MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET="$throwaway-console"
export MINASIDOR_SAML_BASE_URL=https://minasidor.example
export MINASIDOR_SAML_METADATA_URL=https://qa.md.swedenconnect.se/role/idp.xml
export MINASIDOR_SAML_METADATA_CERT_FILE=/etc/minasidor/sc-qa-metadata.crt
export MINASIDOR_SAML_EIDAS_CONNECTOR=https://qa.connector.eidas.swedenconnect.se/eidas
export MINASIDOR_SAML_SWEDISH_EID_PROVIDERS=https://idp.example/freja
export MINASIDOR_PORTAL_URL=https://minasidor.example/
export MINASIDOR_EMAIL_HOST=smtp.minasidor.example MINASIDOR_EMAIL_PORT=587 MINASIDOR_EMAIL_USE_TLS=true
export MINASIDOR_EMAIL_FROM="Pensionsmyndigheten <no-reply@minasidor.example>"
# No text-message provider is written yet (backoffice/notices/sms.py says how to add one): none is configured.
export MINASIDOR_SMS_BACKEND=backoffice.notices.sms.DisabledSmsBackend
export MINASIDOR_MALWARE_SCANNER=clamd://clamav.minasidor.example:3310
BACKOFFICE_API_TRUSTED_KEYS=$(.venv/bin/python -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')
export BACKOFFICE_API_TRUSTED_KEYS
BACKOFFICE_PERSONAL_CODE_KEY=$(.venv/bin/python -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')
export BACKOFFICE_PERSONAL_CODE_KEY
# Checks that start no server need only the setting (the scratch Redis below serves the pages).
export MINASIDOR_REDIS_URL=redis://127.0.0.1:6379/15
MINASIDOR_TALSVAR_PLATFORM_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')
export MINASIDOR_TALSVAR_PLATFORM_TOKEN

MINASIDOR_SIMULATORS_ENABLED=false .venv/bin/python manage.py check --deploy --fail-level WARNING

if MINASIDOR_SIMULATORS_ENABLED=true .venv/bin/python manage.py check >/dev/null 2>&1; then
  echo "The production profile started with simulators enabled; it must refuse." >&2
  exit 1
fi
echo "The production profile refuses simulators: ok"

scratch=$(mktemp -d)
# The production profile requires Redis (sessions, cache, the security store): a scratch server on a socket.
redis-server --port 0 --unixsocket "$scratch/redis.sock" --save '' --appendonly no --daemonize yes \
  --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log"
trap 'kill "$(cat "$scratch/redis.pid" 2>/dev/null)" 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 50); do [ -S "$scratch/redis.sock" ] && break; sleep 0.1; done
export MINASIDOR_REDIS_URL="unix://$scratch/redis.sock"
export MINASIDOR_VAR_DIR="$scratch" DATABASE_URL="sqlite:///$scratch/portal.sqlite3"
export BACKOFFICE_DATABASE_URL="sqlite:///$scratch/backoffice.sqlite3"
MINASIDOR_SIMULATORS_ENABLED=false .venv/bin/python manage.py collectstatic --noinput --verbosity 0
MINASIDOR_SIMULATORS_ENABLED=false .venv/bin/python manage.py migrate --verbosity 0
MINASIDOR_SIMULATORS_ENABLED=false PYTHONPATH=src .venv/bin/python scripts/production_pages.py
