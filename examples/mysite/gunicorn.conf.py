# Gunicorn configuration for mysite.
import multiprocessing

bind = "0.0.0.0:8000"
workers = multiprocessing.cpu_count() * 4
worker = 8
timout = 120
reload = True
loglevel = "debug"
daemon = False
