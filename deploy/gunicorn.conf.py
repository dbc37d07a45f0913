"""gunicorn's settings for the web service (docker-compose.yml "web", bench/load_bench.py).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

`WEB_CONCURRENCY` sets the number of workers; `GUNICORN_CMD_ARGS` overrides anything here.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
timeout = 120  # below nginx's proxy_read_timeout (130 s), so gunicorn gives up first
