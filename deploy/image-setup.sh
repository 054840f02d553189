#!/bin/sh
# The image's own build steps after its dependencies: the Dockerfile runs this script, and
# deploy/verify-image replays it (CI has no Docker engine), so the two cannot drift.
# Run from the application folder (/app in the image), with VAR_DIR set.
set -eu
: "${VAR_DIR:?VAR_DIR must be set (the image sets /app/var)}"

# Folders the non-root user writes. A fresh named volume mounted on one of them (the
# uploads volume on $VAR_DIR/private) takes the folder's owner from the image.
mkdir -p "$VAR_DIR/private/evidence" "$VAR_DIR/private/letters" "$VAR_DIR/media" "$VAR_DIR/static"

# Static files as production serves them: with DEBUG=0 the settings use WhiteNoise's
# manifest storage, whose staticfiles.json must exist at run time (DEBUG=1 here would
# write no manifest, and every HTML page would answer 500). The values below exist only
# for this step: the image holds no secret, host or address of its own.
DEBUG=0 READ_DOT_ENV=0 \
  SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  ALLOWED_HOSTS=build.invalid SITE_URL=https://build.invalid \
  python manage.py collectstatic --no-input -v0
test -f "$VAR_DIR/static/staticfiles.json"
