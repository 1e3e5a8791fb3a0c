#!/usr/bin/env python
"""Django's command-line utility for the news portal.

Without DJANGO_SETTINGS_MODULE it uses newsportal.settings: DEBUG off unless
DJANGO_DEBUG=1, a secret key made for this install in var/ unless
DJANGO_SECRET_KEY is set (see README: settings).
"""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
