"""The site bench/bench_http.py serves with gunicorn: the project plus a baseline view."""
