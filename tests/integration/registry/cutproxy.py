#!/usr/bin/env python3
"""cutproxy.py PORT UPSTREAM_PORT FLAGFILE: an HTTP proxy on 127.0.0.1:PORT to a registry on
127.0.0.1:UPSTREAM_PORT. While FLAGFILE exists, a blob GET gets its headers and the first 64 KiB
of its body, then the connection is cut."""
import http.client, http.server, os, sys

port, up, flag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def go(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        c = http.client.HTTPConnection("127.0.0.1", up)
        hdrs = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        c.request(self.command, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection"):
                self.send_header(k, v)
        self.end_headers()
        cut = os.path.exists(flag) and "/blobs/" in self.path and self.command == "GET"
        sent = 0
        while self.command != "HEAD":
            chunk = r.read(65536)
            if not chunk:
                break
            self.wfile.write(chunk)
            sent += len(chunk)
            if cut and sent >= 65536:
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = go

http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
