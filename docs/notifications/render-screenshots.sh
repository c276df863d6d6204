#!/usr/bin/env bash
# Regenerates email-risk.png and email-digest.png from the HTML beside them, with headless Chromium from Debian's
# packages (installed when missing). The HTML files are the email renderer's own output: the test
# When_a_notice_is_rendered_as_email.Should_match_the_sample_in_the_docs fails when they drift from it.
#
#   docs/notifications/render-screenshots.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi

# A throwaway profile, so the screenshots do not depend on (or write to) the user's Chromium settings.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() { # NAME WIDTH HEIGHT: the height is the whole email plus a margin, so nothing is cut off
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$2,$3" --screenshot="$here/$1.png" "file://$here/$1.html" 2>/dev/null
  echo "wrote $here/$1.png"
}

shoot email-risk 800 680
shoot email-digest 800 710
