# Sourced by scripts/docs-test between the README walkthrough and the docs pages: the placeholders the pages name.
export ADMIN_TOKEN="$INNOLICENSE_TOKEN"                  # the README's bootstrap admin token
export ADMIN_PASSWORD="$INNOLICENSE_ADMIN_PASSWORD"      # the README's first-start admin password
export ACD_TOKEN="$ACD"                                  # the README's ACD token
SUPERVISOR_TOKEN="$(bin/innolicense admin token create --name docs-dashboard --role SUPERVISOR)"
export SUPERVISOR_TOKEN
# An error answer fails the block: the pages' curl lines use -s, which alone exits 0 on a 4xx or 5xx.
curl() { command curl --fail-with-body "$@"; }
# renewal.lic: a key newer than the applied acme.lic, for the page that applies one (http-api.md).
LICENSE_ID="$(bin/innolicense admin status --json | sed -n 's/.*"licenseId" *: *"\([^"]*\)".*/\1/p')"
bin/innolicense-vendor renew --dir vendor --license "$LICENSE_ID" --out renewal.lic
