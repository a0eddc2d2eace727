#!/usr/bin/python3
"""WS-Discovery responder for Vigil's tests: an ONVIF camera's discovery side (stdlib only).

Joins the multicast group 239.255.255.250:3702 and answers every Probe that asks for
`dn:NetworkVideoTransmitter` (or for no type at all) with a ProbeMatch sent back to the
prober: RelatesTo = the probe's MessageID, the given XAddrs (device service URLs) and
Scopes (e.g. `onvif://www.onvif.org/name/Front%20Door`).

As a module (the ONVIF simulator's `--discovery` uses it):

    stop = threading.Event()
    threading.Thread(target=ws_discovery.serve, args=(xaddrs, scopes, stop)).start()

Standalone:

    python3 tests/support/ws_discovery.py --xaddr http://127.0.0.1:8080/onvif/device_service \
        --scope onvif://www.onvif.org/name/Front%20Door [--scope …] [--endpoint urn:uuid:…]
        [--wrong-relates-to] [--iface 127.0.0.1]

Prints one line `READY` on stdout once it has joined the group, then `ANSWERED HOST:PORT
RELATES_TO` after each answer sent; SIGTERM and SIGINT make it exit with status 0. `--wrong-relates-to` answers with a RelatesTo that is not the
probe's MessageID (a prober must ignore that answer). Multicast does not leave a host's
loopback without a route: run it in a network namespace whose `lo` has multicast on and
the route `224.0.0.0/4 dev lo` (see tests/engine/onvif_discovery.rs).
"""

import argparse
import signal
import socket
import struct
import sys
import threading
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

GROUP = "239.255.255.250"
PORT = 3702
NS_ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_DISCOVERY = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
ANSWER = """<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" \
xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" \
xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" \
xmlns:dn="http://www.onvif.org/ver10/network/wsdl" \
xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
<s:Header>
<a:MessageID>urn:uuid:{message_id}</a:MessageID>
<a:RelatesTo>{relates_to}</a:RelatesTo>
<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>
<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>
</s:Header>
<s:Body><d:ProbeMatches><d:ProbeMatch>
<a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference>
<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
<d:Scopes>{scopes}</d:Scopes>
<d:XAddrs>{xaddrs}</d:XAddrs>
<d:MetadataVersion>1</d:MetadataVersion>
</d:ProbeMatch></d:ProbeMatches></s:Body>
</s:Envelope>"""


def probe_id(datagram):
    """The MessageID of a Probe asking for NetworkVideoTransmitter (or any type), else None."""
    try:
        root = ET.fromstring(datagram)
    except ET.ParseError:
        return None
    probe = root.find(".//{%s}Probe" % NS_DISCOVERY)
    message_id = root.find(".//{%s}MessageID" % NS_ADDRESSING)
    if probe is None or message_id is None or not (message_id.text or "").strip():
        return None
    types = probe.find("{%s}Types" % NS_DISCOVERY)
    wanted = (types.text or "").split() if types is not None else []
    if wanted and not any(t.rsplit(":", 1)[-1] == "NetworkVideoTransmitter" for t in wanted):
        return None
    return message_id.text.strip()


def answer(relates_to, xaddrs, scopes, endpoint):
    return ANSWER.format(
        message_id=uuid.uuid4(),
        relates_to=escape(relates_to),
        endpoint=escape(endpoint),
        scopes=escape(" ".join(scopes)),
        xaddrs=escape(" ".join(xaddrs)),
    ).encode()


def open_socket(iface):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("", PORT))
    membership = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(iface))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
    s.settimeout(0.2)
    return s


def serve(xaddrs, scopes, stop_event, endpoint=None, wrong_relates_to=False,
          iface="0.0.0.0", ready=None, on_answer=None):
    """Answers probes until `stop_event` is set. `ready` (a threading.Event) is set once
    the group is joined; `on_answer(sender, relates_to)` is called after each answer."""
    endpoint = endpoint or "urn:uuid:%s" % uuid.uuid4()
    s = open_socket(iface)
    if ready is not None:
        ready.set()
    try:
        while not stop_event.is_set():
            try:
                datagram, sender = s.recvfrom(65536)
            except socket.timeout:
                continue
            message_id = probe_id(datagram)
            if message_id is None:
                continue
            relates_to = "urn:uuid:%s" % uuid.uuid4() if wrong_relates_to else message_id
            s.sendto(answer(relates_to, xaddrs, scopes, endpoint), sender)
            if on_answer is not None:
                on_answer(sender, relates_to)
    finally:
        s.close()


def main():
    p = argparse.ArgumentParser(description="WS-Discovery responder (an ONVIF camera)")
    p.add_argument("--xaddr", action="append", required=True,
                   help="a device service URL (repeatable)")
    p.add_argument("--scope", action="append", default=[], help="a scope URI (repeatable)")
    p.add_argument("--endpoint", help="endpoint reference address (default: a fresh urn:uuid)")
    p.add_argument("--wrong-relates-to", action="store_true",
                   help="answer with a RelatesTo that is not the probe's MessageID")
    p.add_argument("--iface", default="0.0.0.0",
                   help="IPv4 address of the interface joining the group")
    args = p.parse_args()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    ready = threading.Event()
    worker = threading.Thread(
        target=serve,
        args=(args.xaddr, args.scope, stop),
        kwargs=dict(endpoint=args.endpoint, wrong_relates_to=args.wrong_relates_to,
                    iface=args.iface, ready=ready,
                    on_answer=lambda sender, rel: print("ANSWERED %s:%d %s" % (*sender, rel),
                                                        flush=True)),
        daemon=True,
    )
    worker.start()
    while not ready.wait(0.1):
        if not worker.is_alive():
            sys.exit(1)
    print("READY", flush=True)
    while worker.is_alive():
        worker.join(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
