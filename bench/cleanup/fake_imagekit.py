#!/usr/bin/env python3
"""A tiny stand-in for ImageKit's bulk delete (POST /v1/files/batch/deleteByFileIds): answers 200 with every id
deleted, counts calls and ids. GET /stats returns {"calls": n, "ids": n}. Usage: fake_imagekit.py PORT"""
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
stats = {"calls": 0, "ids": 0, "single_deletes": 0}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: without this, delayed ACKs add ~40 ms a call

    def _send(self, status, body):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":  # HttpClient's JsonContent streams
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self):
        body = self._body()
        if self.path != "/v1/files/batch/deleteByFileIds":
            return self._send(404, {"message": "not found"})
        ids = json.loads(body)["fileIds"]
        with lock:
            stats["calls"] += 1
            stats["ids"] += len(ids)
        self._send(200, {"successfullyDeletedFileIds": ids})

    def do_DELETE(self):
        with lock:
            stats["calls"] += 1
            stats["single_deletes"] += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            self._send(200, dict(stats))

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
