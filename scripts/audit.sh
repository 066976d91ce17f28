#!/usr/bin/env bash
# The dependency and code audit of `make audit`:
#  - pip-audit checks every locked package (requirements/lock.txt, with its hashes) against PyPI's
#    vulnerability data, ignoring only the advisories in requirements/audit-exceptions.txt, each of which
#    must give its reason;
#  - bandit checks the portal's source with the settings in .bandit.
# pip-audit needs the package index's JSON API (per package and version), which carries the vulnerability
# data. A finding without a recorded exception fails the audit. When not one package can be looked up (a
# machine whose package mirror lacks that API), nothing was checked: the audit says so in a loud WARNING and
# the other checks go on. AUDIT_OFFLINE=1 skips pip-audit on purpose, also with a warning.
# MINASIDOR_AUDIT_STRICT=1 (set by the pipeline that builds a release) makes both of these fail instead: a
# release is never built from dependencies that were not checked.
set -euo pipefail
cd "$(dirname "$0")/.."

exceptions=requirements/audit-exceptions.txt
ignore=()
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  id=$(awk '{print $1}' <<<"$line")
  reason=$(sed -n 's/^[^#]*#[[:space:]]*//p' <<<"$line")
  if [[ -z "$reason" ]]; then
    echo "$exceptions: the exception $id gives no reason (write: ID  # why it does not apply; until when)" >&2
    exit 1
  fi
  ignore+=(--ignore-vuln "$id")
done <"$exceptions"

strict="${MINASIDOR_AUDIT_STRICT:-0}"
unchecked() {
  if [[ "$strict" == "1" ]]; then
    echo "audit: FAILED: $1; MINASIDOR_AUDIT_STRICT=1 fails closed" >&2
    exit 1
  fi
  echo "audit: WARNING: $1" >&2
}

if [[ "${AUDIT_OFFLINE:-0}" == "1" ]]; then
  unchecked "AUDIT_OFFLINE=1, the dependencies were NOT checked for known vulnerabilities"
else
  report=$(mktemp)
  if .venv/bin/pip-audit --requirement requirements/lock.txt --require-hashes --disable-pip --progress-spinner off \
    --strict "${ignore[@]}" >"$report" 2>&1; then
    echo "audit: pip-audit found no known vulnerability without a recorded exception"
  elif ! grep -q "known vulnerabilit" "$report" && ! grep "ERROR" "$report" | grep -qv "Dependency not found"; then
    # Not one package could be looked up: the vulnerability data is unreachable from this machine (a package
    # mirror without it). That is not a pass: say so loudly, and let the checks that can run go on.
    rm -f "$report"
    unchecked "the vulnerability data could not be reached from this machine; the dependencies were NOT checked for known vulnerabilities"
  else
    cat "$report" >&2
    rm -f "$report"
    exit 1
  fi
  rm -f "$report"
fi
.venv/bin/bandit --ini .bandit --recursive src --quiet
echo "audit: bandit found nothing"
