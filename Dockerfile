FROM python:3.13-slim-bookworm

ENV DJANGO_DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir uv \
    && useradd --system --create-home --home-dir /app actualites

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Static files are collected at build time, so whitenoise can serve them compressed and hashed.
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R actualites /app/var

USER actualites
EXPOSE 8000
# Workers, timeout and address: gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_TIMEOUT).
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py setup_roles && exec gunicorn actualites.wsgi --config gunicorn.conf.py --access-logfile -"]
