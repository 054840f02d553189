"""A receiver for trying webhooks out: verifies each message's Standard Webhooks
signature with the subscription's secret and prints it.

    python manage.py webhook_receiver --port 8765 --secret whsec_...

(subscribe http://127.0.0.1:8765/ with WEBHOOK_ALLOW_PRIVATE=1, which a real deployment
leaves off)."""

import contextlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand
from standardwebhooks import Webhook, WebhookVerificationError


def handler_for(secret, write):
    webhook = Webhook(secret)

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                message = webhook.verify(body, dict(self.headers))
            except WebhookVerificationError as e:
                write(f"REFUSED {self.headers.get('webhook-id')}: {e}")
                self.send_response(400)
            else:
                data = message["data"]
                write(
                    f"{self.headers['webhook-id']} #{data['cursor']} {data['type']} {data['regions']}"
                )
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Receiver


class Command(BaseCommand):
    help = "Terima dan verifikasi webhook / receive and verify webhooks (for testing)"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--secret", required=True)

    def handle(self, *args, port, host, secret, **options):
        server = ThreadingHTTPServer((host, port), handler_for(secret, self.stdout.write))
        self.stdout.write(f"Listening on http://{host}:{port}/ (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
