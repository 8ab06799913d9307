"""gunicorn settings for the web tier behind an Application Load Balancer.

Read by the Dockerfile's CMD (`gunicorn -c deploy/gunicorn.conf.py`); every value can be
overridden from the environment so one image serves every instance size.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
wsgi_app = "photosite.wsgi:application"

# Threads overlap the waits on DynamoDB and S3; gthread is also the worker that keeps
# connections alive, which the load balancer reuses.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Longer than the ALB's idle timeout (60 s by default): if gunicorn closed an idle connection
# first, the ALB could send a request down it as it closes and answer the browser 502.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Finish in-flight requests within ECS's stop timeout (30 s) after the target is deregistered.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# Recycle workers now and then so a slow leak can never take an instance down.
max_requests = 2000
max_requests_jitter = 200

# The heartbeat file on a tmpfs: a container's overlay filesystem can stall it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The control socket would live in $HOME, and the container user has none.
control_socket_disable = True

# The ALB writes the access log (with client addresses, under its own retention); gunicorn's
# would repeat every full IP, so it is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
