#!/usr/bin/env bash
# Installs the Debian packages the project needs, when they are missing:
#   chromium  - the browser the browser tests drive (Playwright cannot download its own here)
#   xmlsec1   - XML signature and encryption for SAML (pysaml2 calls it)
#   gettext   - compiles the message catalogues (Swedish, English)
#   libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0 - text layout and font subsetting for WeasyPrint,
#               which makes the PDF documents (docs/decisions/0080)
#   fonts-dejavu-core - the typeface embedded in the PDF documents
#   redis-server - the deployment check runs the production profile, which requires Redis, on a scratch one
#   nginx-light - the reverse proxy of the production stack (make prod-up; deploy/nginx/)
#   libfaketime - the fault suite's clock skew (a portal instance's clock set minutes off; decision 0253)
# Runs apt-get as root, or through sudo; does nothing when everything is present.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libfaketime; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "These Debian packages are missing: ${missing[*]}. Install them as root (apt-get install ${missing[*]})." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
