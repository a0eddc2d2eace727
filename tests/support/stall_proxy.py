#!/usr/bin/env python3
"""A TCP proxy that forwards to a camera and, on request, goes silent without closing.

Forwards every connection to --target HOST:PORT. When the file given by --stall-file
exists, the connections open at that moment stop forwarding in both directions but keep
their sockets open (an RTSP session that stops sending without a TEARDOWN or FIN, as a
camera behind a dying link does); connections made later are forwarded normally, so a
client that reconnects gets video again. Prints "READY <port>". Standard library only.
"""

import argparse
import os
import select
import socket
import threading
import time


def pump(client, target, stall_file, stalled):
    upstream = socket.create_connection(target)
    socks = [client, upstream]
    try:
        while True:
            if not stalled[0] and os.path.exists(stall_file):
                stalled[0] = True
            if stalled[0]:
                time.sleep(0.2)  # hold both sockets open, forward nothing
                continue
            ready, _, _ = select.select(socks, [], [], 0.2)
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (upstream if s is client else client).sendall(data)
    except OSError:
        pass
    finally:
        client.close()
        upstream.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--target", required=True, help="HOST:PORT")
    p.add_argument("--stall-file", required=True)
    args = p.parse_args()
    host, _, port = args.target.rpartition(":")
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(8)
    print(f"READY {srv.getsockname()[1]}", flush=True)
    while True:
        conn, _ = srv.accept()
        # Only the connections open when the stall file appears go silent; one made while
        # it exists (a client reconnecting) is forwarded normally.
        watch = "/nonexistent/never" if os.path.exists(args.stall_file) else args.stall_file
        threading.Thread(target=pump, args=(conn, (host, int(port)), watch, [False]),
                         daemon=True).start()


if __name__ == "__main__":
    main()
