#!/usr/bin/env python3
"""An HTTP proxy for the Storage tests that forwards to one upstream server and injects
failures by rule.

    fault_proxy.py --port P --upstream http://127.0.0.1:M --log FILE [--rule RULE]...

RULE is METHOD:QUERY_PART:ACTION:COUNT and applies to the first COUNT requests whose method is
METHOD and whose query string contains QUERY_PART (empty matches all):
    500, 503, 403, ...  answer with that status and an S3-style <Error> document
    drop                read half the body, then close the connection without answering
Every request is logged to FILE as "METHOD PATH?QUERY ACTION", one line each, where ACTION is
the injected action or the upstream status.
"""
import argparse
import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--upstream", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--rule", action="append", default=[])
args = parser.parse_args()

upstream = urlsplit(args.upstream)
lock = threading.Lock()
rules = []
for text in args.rule:
    method, query_part, action, count = text.split(":", 3)
    rules.append({"method": method, "query": query_part, "action": action, "left": int(count)})


def take_action(method, query):
    with lock:
        for rule in rules:
            if rule["left"] > 0 and rule["method"] == method and rule["query"] in query:
                rule["left"] -= 1
                return rule["action"]
    return None


def log(line):
    with lock:
        with open(args.log, "a") as handle:
            handle.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *unused):
        pass

    def handle_any(self):
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        action = take_action(self.command, split.query)
        label = f"{self.command} {split.path}?{split.query}"
        if action == "drop":
            self.rfile.read(length // 2)
            log(f"{label} drop")
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        if action is not None:
            status = int(action)
            payload = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>Injected{status}</Code>"
                       f"<Message>injected by fault_proxy</Message></Error>").encode()
            if status == 403:
                payload = payload.replace(b"Injected403", b"AccessDenied")
            log(f"{label} {status}")
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = {name: value for name, value in self.headers.items()}
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        log(f"{label} {response.status}")
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
server.serve_forever()
