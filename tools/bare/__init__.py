"""The bench's honest ceiling: a bare Django project, served by the same gunicorn as the site.

Django's default middleware (as `startproject` writes it), no database, one view returning a
constant page of 30 KB, about the size of one of our article pages. `make bench` expresses every
page as a share of what this project serves in the same run, on the same gunicorn settings.
"""
