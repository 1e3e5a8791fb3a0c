"""WSGI entry point (gunicorn newsportal.wsgi).

A WSGI server is a public server: without DJANGO_SETTINGS_MODULE it runs the
production settings, which never show debug pages and refuse to start
without DJANGO_SECRET_KEY.  (``manage.py runserver``, for development, uses
newsportal.settings, DEBUG off unless DJANGO_DEBUG=1.)
"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings_production")
application = get_wsgi_application()
