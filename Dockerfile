# Démarche: the service's image (the last stage, what `docker build .` gives): gunicorn 'demarche:create_app()',
# configured by the variables of the README. The simulators have an image of their own (target `sandbox`), which
# only docker-compose.yml's demo uses: the service's image carries none of them.

# The DSFR comes from the npm registry, as with `make setup`; only its dist/ folder is kept.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The simulators (sandbox/, their own distribution): `docker build --target sandbox .`, for the compose demo only.
FROM python:3.11-slim-bookworm AS sandbox
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /sandbox
COPY sandbox ./
RUN pip install . "gunicorn>=22" \
 && useradd --system --uid 10002 --home-dir /sandbox --shell /usr/sbin/nologin sandbox
USER sandbox
CMD ["demarche-sandbox", "--help"]

# The service.
FROM python:3.11-slim-bookworm AS service
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Templates, static files and migrations are read next to the package (demarche/__init__.py: ROOT),
# so the source stays in /app and is installed in place.
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY demarche ./demarche
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
RUN pip install -e . \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin demarche \
 && mkdir -p /app/instance && chown demarche /app/instance
COPY --from=assets /app/node_modules/@gouvfr/dsfr/dist ./node_modules/@gouvfr/dsfr/dist
USER demarche
# Liveness probe: gunicorn's master answers /healthz on HEALTH_PORT (gunicorn.conf.py, demarche/health_listener.py)
# from its workers' heartbeats; /healthz on :5000 would wait behind the requests of a saturated service. Not
# /readyz (the database answers): restarting the service cures no database outage, and it recovers by itself
# once the database is back; /readyz is for a load balancer's readiness check.
ENV HEALTH_PORT=8081
EXPOSE 5000 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['HEALTH_PORT'], timeout=2)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "-b", "0.0.0.0:5000", "demarche:create_app()"]
