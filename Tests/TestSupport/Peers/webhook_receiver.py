#!/usr/bin/env python3
"""A Standard Webhooks receiver for the status webhook tests (Python standard library only).

Listens on 127.0.0.1 on an ephemeral port and prints `PORT <n>` on stdout (and, with
--port-file, writes the number to that file, atomically). Every POST is
checked on its own, with Python's hmac: the key is the secret's base64 part when the secret
starts with `whsec_`, else the secret's UTF-8 bytes; the signed content is
`<webhook-id>.<webhook-timestamp>.<body>`. Each request is recorded; `GET /log` returns them.

The query of a POST chooses the answer, counted per path+query:
  ?answer=500&times=N   answer 500 to the first N requests, then 200
  ?answer=drop&times=N  close the connection without answering the first N, then 200
  ?answer=400           always 400
The process exits by itself after --lifetime seconds.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
received = []
counts = {}


def signing_key(secret):
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_"):], validate=True)
    return secret.encode("utf-8")


class Receiver(BaseHTTPRequestHandler):
    key = b""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path != "/log":
            self.answer(404)
            return
        with lock:
            data = json.dumps(received).encode()
        self.answer(200, data)

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        message_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        signatures = self.headers.get("webhook-signature", "")
        expected = base64.b64encode(
            hmac.new(self.key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        ).decode()
        verified = any(
            version == "v1" and hmac.compare_digest(value, expected)
            for version, _, value in (part.partition(",") for part in signatures.split())
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300

        query = parse_qs(urlsplit(self.path).query)
        answer = query.get("answer", ["200"])[0]
        times = int(query.get("times", ["1000000"])[0])
        with lock:
            seen = counts.get(self.path, 0)
            counts[self.path] = seen + 1
            if seen >= times:
                answer = "200"
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            received.append({
                "path": self.path,
                "id": message_id,
                "timestamp": timestamp,
                "verified": verified,
                "fresh": fresh,
                "contentType": self.headers.get("content-type", ""),
                "payload": payload,
                "answer": answer,
            })
        if answer == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.answer(int(answer), b"{}")

    def answer(self, status, data=b""):
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    # A parent may spawn us with signals blocked (the Swift test runner does); unblock them so
    # that SIGTERM from the test ends the process.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--lifetime", type=float, default=60)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    Receiver.key = signing_key(args.secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    port = server.server_address[1]
    print(f"PORT {port}", flush=True)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as file:
            file.write(str(port))
        os.rename(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
