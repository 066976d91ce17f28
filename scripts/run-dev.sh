#!/usr/bin/env bash
# Starts the portal with the simulators of the outside systems, for a person to try on this machine.
# Stops the simulators when the portal stops (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
BANKID_PORT=${BANKID_PORT:-8443}
BANKID_APP_PORT=${BANKID_APP_PORT:-8444}

.venv/bin/python -m simulators.bankid serve --dir var/simulators/bankid --persons var/simulators/bankid/persons.json \
  --port "$BANKID_PORT" --app-port "$BANKID_APP_PORT" > var/bankid-simulator.log 2>&1 &
simulator=$!
MINPENSION_PORT=${MINPENSION_PORT:-8450}
.venv/bin/python -m simulators.minpension serve --port "$MINPENSION_PORT" > var/minpension-simulator.log 2>&1 &
minpension=$!
SAML_IDP_PORT=${SAML_IDP_PORT:-8445}
.venv/bin/python -m simulators.saml_idp serve --dir var/simulators/saml --port "$SAML_IDP_PORT" \
  --sp-metadata "http://$HOST:$PORT/saml/metadata/" > var/saml-idp-simulator.log 2>&1 &
saml_idp=$!
STAFF_IDP_PORT=${STAFF_IDP_PORT:-8446}
.venv/bin/python -m simulators.staff_idp serve --port "$STAFF_IDP_PORT" \
  --redirect-uri "http://$HOST:$PORT/kundservice/oidc/callback/" > var/staff-idp-simulator.log 2>&1 &
staff_idp=$!
export MINASIDOR_CONSOLE_OIDC_ISSUER="http://127.0.0.1:$STAFF_IDP_PORT"
MAIL_SMTP_PORT=${MAIL_SMTP_PORT:-8025}
MAIL_HTTP_PORT=${MAIL_HTTP_PORT:-8026}
.venv/bin/python -m simulators.mail serve --smtp-port "$MAIL_SMTP_PORT" --http-port "$MAIL_HTTP_PORT" --dir var/mail \
  > var/mail-simulator.log 2>&1 &
mail=$!
# Notices go by e-mail to the mail test server, text messages to var/sms/messages.jsonl.
export MINASIDOR_EMAIL_HOST=127.0.0.1 MINASIDOR_EMAIL_PORT="$MAIL_SMTP_PORT" MINASIDOR_PORTAL_URL="http://$HOST:$PORT/"

# The demo third party of consented sharing (an adviser's system; test-only secret, docs/simulators.md).
SHARING_CLIENT_PORT=${SHARING_CLIENT_PORT:-8447}
.venv/bin/python manage.py sharing_client_register --client-id demo-radgivaren \
  --name "Demo Rådgivning AB (testklient)" --redirect-uri "http://127.0.0.1:$SHARING_CLIENT_PORT/callback" \
  --secret demo-radgivaren-test-only-secret > /dev/null
.venv/bin/python -m simulators.sharing_client serve --port "$SHARING_CLIENT_PORT" --portal "http://$HOST:$PORT" \
  > var/sharing-client-simulator.log 2>&1 &
sharing_client=$!

# Background work (docs/operations.md): a worker for each system's queue and the scheduler of periodic jobs,
# which also clears expired sessions and kept forms once at start.
.venv/bin/python manage.py run_tasks --backend default > var/worker-portal.log 2>&1 &
worker_portal=$!
.venv/bin/python manage.py run_tasks --backend backoffice > var/worker-backoffice.log 2>&1 &
worker_backoffice=$!
.venv/bin/python manage.py run_periodic > var/scheduler.log 2>&1 &
scheduler=$!
trap 'kill "$simulator" "$minpension" "$saml_idp" "$staff_idp" "$mail" "$sharing_client" "$worker_portal" "$worker_backoffice" "$scheduler" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 50); do
  if .venv/bin/python -c "import socket,sys; socket.create_connection(('127.0.0.1', $BANKID_APP_PORT), 0.2)" 2>/dev/null; then
    break
  fi
  kill -0 "$simulator" 2>/dev/null || { cat var/bankid-simulator.log >&2; exit 1; }
  sleep 0.2
done

# The statement run's print file, with the demo persons' personal codes for the phone simulator.
.venv/bin/python manage.py print_statements --year 2025 >/dev/null
cat <<INFO

  Mina sidor                 http://$HOST:$PORT/        (English: http://$HOST:$PORT/en/)
  BankID test server         https://127.0.0.1:$BANKID_PORT/rp/v6.0/  (mutual TLS; files in var/simulators/bankid/)
  Virtual BankID app         http://127.0.0.1:$BANKID_APP_PORT/   (act as the phone: scan the QR, approve)
  Min Pension test server    http://127.0.0.1:$MINPENSION_PORT/api/v1/  (control API: /control/; docs/simulators.md)
  Test identity providers    http://127.0.0.1:$SAML_IDP_PORT/   (eIDAS connector and Swedish eID over SAML; docs/saml.md)
  Customer service console   http://$HOST:$PORT/kundservice/   (staff: kim or sam, password kundservice-dev at the
                             staff login on http://127.0.0.1:$STAFF_IDP_PORT/; second step: the code printed by
                             .venv/bin/python manage.py console_totp_code K1001   (or K2002))
  Phone simulator            .venv/bin/python -m simulators.phone   (a caller of the telephone service, talsvar; a
                             demo person's personal code: grep 191212121212 var/print/statements-2025.jsonl)
  Mail test server           http://127.0.0.1:$MAIL_HTTP_PORT/   (notices sent by e-mail; SMTP on port $MAIL_SMTP_PORT; JSON: /api/messages)
  Demo third party           http://127.0.0.1:$SHARING_CLIENT_PORT/   (an adviser asks for consent to read your latest
                             statement over OAuth with PKCE and DPoP; withdraw it under "Dela med andra")
  Text messages              var/sms/messages.jsonl   (notices sent by SMS, one JSON line each)
  Background work            task workers (portal, back office) and the scheduler; logs in var/worker-*.log, var/scheduler.log

  To log in: choose "BankID på en annan enhet", then open the virtual app in another tab, choose a
  test person, paste or upload the QR code and approve. See docs/simulators.md.

INFO

# Debug pages stay off: what a person sees under `make run` are the portal's own pages (issue 12.6). A developer
# who wants Django's debug pages sets MINASIDOR_DEBUG=true in their own shell.
.venv/bin/uvicorn minasidor.asgi:application --host "$HOST" --port "$PORT" --no-server-header --lifespan off \
  --no-proxy-headers  # the portal reads X-Forwarded-For itself (MINASIDOR_TRUSTED_PROXY_HOPS, decision 0073)
