#!/usr/bin/env python3
"""A live MPEG-TS camera over HTTP, made of prepared pieces (for stream-change tests).

Each piece is a .ts file and the seconds of video it holds; bytes are sent at the rate that
plays them in real time, as an encoder box would. With --mode concat every connection gets
all pieces back to back (a camera reconfigured mid-stream: the change is in-band); with
--mode per-connection connection N gets piece N (the last one again after that), and the
connection is closed after each piece (a camera that restarts its stream with new settings).

Prints "READY <port>" once listening. Standard library only.
"""

import argparse
import socket
import threading
import time

CHUNK = 188 * 14


def serve_piece(conn, path, seconds):
    with open(path, "rb") as f:
        data = f.read()
    rate = len(data) / max(seconds, 0.1)
    start = time.monotonic()
    sent = 0
    while sent < len(data):
        due = start + sent / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        conn.sendall(data[sent:sent + CHUNK])
        sent += CHUNK


def handle(conn, pieces, index, mode):
    try:
        conn.settimeout(30)
        request = b""
        while b"\r\n\r\n" not in request:
            part = conn.recv(4096)
            if not part:
                return
            request += part
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: video/mp2t\r\n\r\n")
        chosen = pieces if mode == "concat" else [pieces[min(index, len(pieces) - 1)]]
        for path, seconds in chosen:
            serve_piece(conn, path, seconds)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", choices=("concat", "per-connection"), default="concat")
    p.add_argument("pieces", nargs="+", help="PATH:SECONDS")
    args = p.parse_args()
    pieces = []
    for spec in args.pieces:
        path, _, secs = spec.rpartition(":")
        pieces.append((path, float(secs)))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(8)
    print(f"READY {srv.getsockname()[1]}", flush=True)
    index = 0
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, pieces, index, args.mode), daemon=True).start()
        index += 1


if __name__ == "__main__":
    main()
