# Production image: gunicorn for web, the same image runs the worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var
WORKDIR /app

# WeasyPrint renders the written-warning letters (PDF) with pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .
# deploy/image-setup.sh: writable folders and static files (with their manifest); CI
# replays the same script without Docker (deploy/verify-image).
RUN useradd --system --uid 1000 --home /app ektp \
    && sh deploy/image-setup.sh \
    && chown -R ektp /app/var
USER ektp

EXPOSE 8000
# Behind a TLS proxy: gunicorn takes X-Forwarded-Proto only from FORWARDED_ALLOW_IPS
# (default 127.0.0.1; docker-compose.yml sets it for its own proxy).
CMD ["gunicorn", "ektp_compliance.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
