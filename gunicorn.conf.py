"""gunicorn's settings for the site (Dockerfile, docker-compose) and for `make bench`, which
serves its bare ceiling project with them too. Command-line options override them.

Workers: 3 sync workers by default, chosen by measurement on 2 cores (README « Performance »):
cached pages are limited by the processor, and more workers than that only queue for it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
