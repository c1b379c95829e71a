# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=connector.settings \
    CONNECTOR_VAR_DIR=/app/var

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files are collected at build time in production mode (hashed names for whitenoise);
# the dummy values exist only for this step and are not in the image's environment.
RUN DJANGO_PRODUCTION=1 DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    SECRETS_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXJlYWxrZXk= \
    python manage.py collectstatic --noinput \
 && useradd --system --create-home --uid 10001 app \
 && mkdir -p /app/var \
 && chown -R app /app/var

USER app
EXPOSE 8000

# gthread: a client that reads slowly holds one thread, not a whole worker (3 workers x 8 threads).
# The access log goes through connector.logs (feed tokens and OAuth codes scrubbed).
CMD ["gunicorn", "connector.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "gthread", "--threads", "8", "--timeout", "60", \
     "--access-logfile", "-", "--logger-class", "connector.logs.RedactingGunicornLogger", \
     "--forwarded-allow-ips", "*"]
