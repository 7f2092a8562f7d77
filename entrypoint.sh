#!/bin/sh
# The Airbyte image's entrypoint (AIRBYTE_ENTRYPOINT): the CLI with the platform's arguments, e.g.
# `read --config /config/config.json --catalog /config/catalog.json`. exec, so signals reach node.
exec node --max-old-space-size=1024 "$(dirname "$0")/dist/src/cli.js" "$@"
