# photosite web tier: gunicorn behind an Application Load Balancer (docs/deploy.md, option 2).
# Build: docker build -t photosite .      Run: docker run --env-file .env.production -p 8000:8000 photosite
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed, unprivileged uid: nothing in the container runs as root once it starts.
RUN groupadd --system --gid 10001 photosite \
 && useradd --system --uid 10001 --gid photosite --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin photosite

WORKDIR /app

# Dependencies first, so code changes reuse this layer. Only what production runs: from the
# "# The embedded local AWS stack" line on, requirements.txt lists what `make run` adds.
COPY requirements.txt ./
RUN sed '/^# The embedded local AWS stack/,$d' requirements.txt > /tmp/runtime.txt \
 && pip install -r /tmp/runtime.txt \
 && rm /tmp/runtime.txt

COPY . .

# Static files are collected into the image and served by whitenoise. Production settings
# (DEBUG off) are needed for the hashed manifest; the key and host exist for this step only.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DJANGO_ALLOWED_HOSTS=collectstatic.invalid \
    python manage.py collectstatic --noinput \
 && chown -R photosite:photosite /app/var

USER photosite:photosite
EXPOSE 8000

# /healthz touches nothing external, so an AWS hiccup never gets every instance replaced at
# once; /readyz (every table, the bucket, the user pool answer) gates deployments (docs/deploy.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
