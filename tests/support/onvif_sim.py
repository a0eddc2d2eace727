#!/usr/bin/python3
"""Vigil integration-test ONVIF camera simulator (python3 standard library only).

    /usr/bin/python3 tests/support/onvif_sim.py --port 0 --user admin --password secret \
        --main-uri rtsp://127.0.0.1:8554/h264 --sub-uri rtsp://127.0.0.1:8554/sub \
        [--skew 3600] [--termination 60] [--discovery]

SOAP 1.2 over HTTP on 127.0.0.1 (one request per connection):
    /onvif/device_service   GetSystemDateAndTime (no login; the clock is ours + --skew s),
                            GetCapabilities, GetDeviceInformation, GetServices
    /onvif/media_service    GetProfiles (main 1280x720 H264, sub 320x180 H264),
                            GetStreamUri (the --main-uri / --sub-uri given)
    /onvif/event_service    CreatePullPointSubscription (the grant is capped at --termination s)
    /onvif/subscription/N   PullMessages (queued notifications, or an empty answer after the
                            timeout), Renew, Unsubscribe
With --user, every call but GetSystemDateAndTime needs a WS-Security UsernameToken whose
PasswordDigest = Base64(SHA-1(nonce + created + password)) matches and whose Created is
within 5 minutes of the simulated clock; otherwise a SOAP fault env:Sender/ter:NotAuthorized.
With --http-digest every SOAP request also needs HTTP Digest authentication (MD5, qop=auth):
a 401 with a challenge otherwise.

Control endpoints for the tests (POST, answers JSON):
    /control/motion?state=true|false[&topic=cell|alarm]   motion (CellMotionDetector IsMotion
                                                          or VideoSource/MotionAlarm State)
    /control/input?token=1&state=true|false               a digital input's LogicalState
    /control/tamper?state=true|false                      TamperDetector IsTamper
    /control/fail-renew[?count=N]                         the next N Renews fail (default 1)
    /control/drop-subscriptions                           forget every subscription
    /control/slow?seconds=N                               delay every SOAP answer by N s
    GET /control/stats                                    counters (subscriptions, renews, ...)

Prints exactly one line `READY <port>` on stdout once listening. `--discovery` also answers
WS-Discovery probes through tests/support/ws_discovery.py when that module exists.
SIGTERM and SIGINT stop it with status 0.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onvif_sim_camera import Camera, find_local, iso, local, parse_duration, parse_iso  # noqa: E402

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
ENV_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
    'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics" '
    'xmlns:ter="http://www.onvif.org/ver10/error"><env:Body>'
)
ENV_CLOSE = "</env:Body></env:Envelope>"
DIGEST_REALM = "SimCam"
# How long a PullMessages may wait at most, seconds.
MAX_PULL_WAIT = 60.0


def parse_args():
    p = argparse.ArgumentParser(description="Vigil ONVIF camera simulator")
    p.add_argument("--port", type=int, default=0, help="TCP port (0 = any free one)")
    p.add_argument("--user", help="require a UsernameToken with this user name")
    p.add_argument("--password", default="", help="password for --user")
    p.add_argument("--skew", type=float, default=0.0,
                   help="the camera's clock minus the real one, seconds")
    p.add_argument("--termination", type=float, default=60.0,
                   help="longest subscription the camera grants, seconds")
    p.add_argument("--main-uri", default="rtsp://127.0.0.1:554/main")
    p.add_argument("--sub-uri", default="rtsp://127.0.0.1:554/sub")
    p.add_argument("--no-events", action="store_true", help="offer no event service")
    p.add_argument("--http-digest", action="store_true",
                   help="also require HTTP Digest authentication (qop=auth) with --user/--password")
    p.add_argument("--discovery", action="store_true",
                   help="answer WS-Discovery probes (needs tests/support/ws_discovery.py)")
    return p.parse_args()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    camera = None  # set by main

    def log_message(self, fmt, *args):  # quiet
        pass

    def answer(self, status, body, ctype="application/soap+xml; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (e.g. Vigil stopping during a long poll)
        self.close_connection = True

    def soap(self, body, status=200):
        self.answer(status, ENV_OPEN + body + ENV_CLOSE)

    def fault(self, subcode, reason, status=400):
        self.soap(
            "<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode>"
            f"<env:Value>{subcode}</env:Value></env:Subcode></env:Code><env:Reason>"
            f'<env:Text xml:lang="en">{reason}</env:Text></env:Reason></env:Fault>', status)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/control/stats":
            cam = self.camera
            with cam.lock:
                stats = dict(cam.stats, live_subscriptions=len(cam.subs))
            self.answer(200, json.dumps(stats), "application/json")
        else:
            self.answer(404, "not found", "text/plain")

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/control/"):
            self.control(url.path[len("/control/"):], urllib.parse.parse_qs(url.query))
            return
        cam = self.camera
        if cam.args.http_digest and not self.digest_ok():
            with cam.lock:
                cam.stats["http_challenges"] += 1
            self.send_response(401)
            self.send_header("WWW-Authenticate",
                             f'Digest realm="{DIGEST_REALM}", qop="auth", '
                             f'nonce="{os.urandom(8).hex()}", opaque="sim"')
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            return
        if cam.slow > 0:
            time.sleep(cam.slow)
        try:
            root = ET.fromstring(raw)
        except ET.ParseError:
            self.fault("ter:WellFormed", "the request is not XML")
            return
        body = find_local(root, "Body")
        op_el = next(iter(body), None) if body is not None else None
        if op_el is None:
            self.fault("ter:InvalidArgVal", "empty body")
            return
        op = local(op_el.tag)
        if op != "GetSystemDateAndTime" and not self.authorized(root):
            with cam.lock:
                cam.stats["auth_failures"] += 1
            self.fault("ter:NotAuthorized", "Sender not authorized")
            return
        handler = getattr(self, "op_" + op, None)
        if handler is None:
            self.fault("ter:ActionNotSupported", f"{op} is not implemented")
            return
        handler(url.path, op_el)

    def digest_ok(self):
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Digest "):
            return False
        params = {}
        for part in re.findall(r'(\w+)=("[^"]*"|[^,]*)', header[7:]):
            params[part[0]] = part[1].strip('"')
        args = self.camera.args
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{args.user}:{DIGEST_REALM}:{args.password}")
        ha2 = md5(f"POST:{params.get('uri', '')}")
        want = md5(f"{ha1}:{params.get('nonce')}:{params.get('nc')}:{params.get('cnonce')}:"
                   f"auth:{ha2}")
        return params.get("username") == args.user and params.get("response") == want

    def authorized(self, root):
        args = self.camera.args
        if not args.user:
            return True
        token = find_local(root, "UsernameToken")
        if token is None:
            return False
        fields = {local(el.tag): (el.text or "").strip() for el in token}
        try:
            nonce = base64.b64decode(fields.get("Nonce", ""))
            created = fields.get("Created", "")
            skew = abs(parse_iso(created) - self.camera.now())
        except (ValueError, TypeError):
            return False
        expected = base64.b64encode(
            hashlib.sha1(nonce + created.encode() + args.password.encode()).digest()).decode()
        return (fields.get("Username") == args.user and fields.get("Password") == expected
                and skew < 300)

    def host(self):
        return self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"

    # Device service.
    def op_GetSystemDateAndTime(self, _path, _el):
        t = time.gmtime(self.camera.now())
        self.soap(
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:UTCDateTime><tt:Time>"
            f"<tt:Hour>{t.tm_hour}</tt:Hour><tt:Minute>{t.tm_min}</tt:Minute>"
            f"<tt:Second>{t.tm_sec}</tt:Second></tt:Time><tt:Date><tt:Year>{t.tm_year}</tt:Year>"
            f"<tt:Month>{t.tm_mon}</tt:Month><tt:Day>{t.tm_mday}</tt:Day></tt:Date>"
            "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>")

    def op_GetCapabilities(self, _path, _el):
        base = f"http://{self.host()}/onvif"
        events = "" if self.camera.args.no_events else (
            f"<tt:Events><tt:XAddr>{base}/event_service</tt:XAddr>"
            "<tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>"
            "<tt:WSPullPointSupport>true</tt:WSPullPointSupport></tt:Events>")
        self.soap(
            "<tds:GetCapabilitiesResponse><tds:Capabilities>"
            f"<tt:Device><tt:XAddr>{base}/device_service</tt:XAddr></tt:Device>{events}"
            f"<tt:Media><tt:XAddr>{base}/media_service</tt:XAddr></tt:Media>"
            "</tds:Capabilities></tds:GetCapabilitiesResponse>")

    def op_GetServices(self, _path, _el):
        base = f"http://{self.host()}/onvif"
        services = [("http://www.onvif.org/ver10/device/wsdl", "device_service"),
                    ("http://www.onvif.org/ver10/media/wsdl", "media_service")]
        if not self.camera.args.no_events:
            services.append(("http://www.onvif.org/ver10/events/wsdl", "event_service"))
        self.soap("<tds:GetServicesResponse>" + "".join(
            f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{base}/{p}</tds:XAddr>"
            "<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>"
            for ns, p in services) + "</tds:GetServicesResponse>")

    def op_GetDeviceInformation(self, _path, _el):
        self.soap(
            "<tds:GetDeviceInformationResponse><tds:Manufacturer>Vigil</tds:Manufacturer>"
            "<tds:Model>SimCam 1</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion>"
            "<tds:SerialNumber>SIM-0001</tds:SerialNumber><tds:HardwareId>sim</tds:HardwareId>"
            "</tds:GetDeviceInformationResponse>")

    # Media service.
    def op_GetProfiles(self, _path, _el):
        def profile(token, name, w, h):
            return (
                f'<trt:Profiles token="{token}" fixed="true"><tt:Name>{name}</tt:Name>'
                '<tt:VideoEncoderConfiguration token="enc_' + token + '">'
                f"<tt:Name>{name}</tt:Name><tt:Encoding>H264</tt:Encoding><tt:Resolution>"
                f"<tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution>"
                "</tt:VideoEncoderConfiguration></trt:Profiles>")
        self.soap("<trt:GetProfilesResponse>" + profile("main", "MainStream", 1280, 720)
                  + profile("sub", "SubStream", 320, 180) + "</trt:GetProfilesResponse>")

    def op_GetStreamUri(self, _path, el):
        token = (find_local(el, "ProfileToken").text or "").strip()
        uris = {"main": self.camera.args.main_uri, "sub": self.camera.args.sub_uri}
        if token not in uris:
            self.fault("ter:NoProfile", f"no profile {token}")
            return
        self.soap(
            "<trt:GetStreamUriResponse><trt:MediaUri>"
            f"<tt:Uri>{uris[token]}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout>"
            "</trt:MediaUri></trt:GetStreamUriResponse>")

    # Event service.
    def op_CreatePullPointSubscription(self, _path, el):
        cam = self.camera
        if cam.args.no_events:
            self.fault("ter:ActionNotSupported", "no event service")
            return
        wanted = parse_duration(
            (find_local(el, "InitialTerminationTime").text
             if find_local(el, "InitialTerminationTime") is not None else ""), 60.0)
        grant = max(1.0, min(wanted, cam.args.termination))
        with cam.lock:
            cam.expire()
            sid = cam.next_id
            cam.next_id += 1
            now = cam.now()
            cam.subs[sid] = {"queue": cam.initial_messages(), "until": now + grant}
            cam.stats["subscriptions"] += 1
        self.soap(
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa:Address>http://{self.host()}/onvif/subscription/{sid}</wsa:Address>"
            f"</tev:SubscriptionReference><wsnt:CurrentTime>{iso(now)}</wsnt:CurrentTime>"
            f"<wsnt:TerminationTime>{iso(now + grant)}</wsnt:TerminationTime>"
            "</tev:CreatePullPointSubscriptionResponse>")

    def subscription(self, path):
        try:
            sid = int(path.rsplit("/", 1)[-1])
        except ValueError:
            return None, None
        cam = self.camera
        cam.expire()
        return sid, cam.subs.get(sid)

    def unknown_subscription(self):
        self.fault("ter:InvalidArgVal", "the subscription does not exist (expired or dropped)")

    def op_PullMessages(self, path, el):
        cam = self.camera
        timeout_el = find_local(el, "Timeout")
        limit_el = find_local(el, "MessageLimit")
        wait = min(parse_duration(timeout_el.text if timeout_el is not None else "", 5.0),
                   MAX_PULL_WAIT)
        limit = int(limit_el.text) if limit_el is not None and limit_el.text else 10
        deadline = time.time() + wait
        with cam.lock:
            sid, sub = self.subscription(path)
            if sub is None:
                self.unknown_subscription()
                return
            cam.stats["pulls"] += 1
            while not sub["queue"] and time.time() < deadline and sid in cam.subs:
                cam.lock.wait(timeout=max(0.0, deadline - time.time()))
            if sid not in cam.subs:
                self.unknown_subscription()
                return
            msgs, sub["queue"] = sub["queue"][:limit], sub["queue"][limit:]
            cam.stats["notifications_sent"] += len(msgs)
            now, until = cam.now(), sub["until"]
        self.soap(
            f"<tev:PullMessagesResponse><tev:CurrentTime>{iso(now)}</tev:CurrentTime>"
            f"<tev:TerminationTime>{iso(until)}</tev:TerminationTime>{''.join(msgs)}"
            "</tev:PullMessagesResponse>")

    def op_Renew(self, path, el):
        cam = self.camera
        with cam.lock:
            _, sub = self.subscription(path)
            if sub is None:
                self.unknown_subscription()
                return
            if cam.fail_renews > 0:
                cam.fail_renews -= 1
                cam.stats["renew_failures"] += 1
                fail = True
            else:
                fail = False
                t_el = find_local(el, "TerminationTime")
                wanted = parse_duration(t_el.text if t_el is not None else "", 60.0)
                now = cam.now()
                sub["until"] = now + max(1.0, min(wanted, cam.args.termination))
                until = sub["until"]
                cam.stats["renews"] += 1
        if fail:
            self.fault("ter:InvalidArgVal", "renew refused (simulated)")
            return
        self.soap(
            f"<wsnt:RenewResponse><wsnt:TerminationTime>{iso(until)}</wsnt:TerminationTime>"
            f"<wsnt:CurrentTime>{iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>")

    def op_Unsubscribe(self, path, _el):
        cam = self.camera
        with cam.lock:
            sid, sub = self.subscription(path)
            if sub is None:
                self.unknown_subscription()
                return
            del cam.subs[sid]
            cam.stats["unsubscribes"] += 1
            cam.lock.notify_all()
        self.soap("<wsnt:UnsubscribeResponse/>")

    # Test controls.
    def control(self, what, query):
        cam = self.camera

        def arg(name, default=""):
            return query.get(name, [default])[0]

        state = arg("state", "true").lower() in ("true", "1", "on")
        if what == "motion":
            cam.motion = state
            cam.publish(cam.motion_message(state, arg("topic", "cell")))
        elif what == "input":
            token = arg("token", "1")
            cam.inputs[token] = state
            cam.publish(cam.input_message(token, state))
        elif what == "tamper":
            cam.tamper = state
            cam.publish(cam.tamper_message(state))
        elif what == "fail-renew":
            with cam.lock:
                cam.fail_renews = int(arg("count", "1"))
        elif what == "drop-subscriptions":
            with cam.lock:
                cam.subs.clear()
                cam.lock.notify_all()
        elif what == "slow":
            cam.slow = float(arg("seconds", "0"))
        else:
            self.answer(404, json.dumps({"error": f"unknown control {what}"}), "application/json")
            return
        self.answer(200, json.dumps({"ok": True, "at": time.time()}), "application/json")


def start_discovery(device_url, stop_event):
    """Answers WS-Discovery probes with ws_discovery.serve when that module exists."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import ws_discovery  # noqa: E402  (written by the discovery tests' helper)
    except ImportError:
        print("onvif_sim: --discovery needs tests/support/ws_discovery.py", file=sys.stderr)
        return None
    scopes = ["onvif://www.onvif.org/type/video_encoder",
              "onvif://www.onvif.org/hardware/SimCam1",
              "onvif://www.onvif.org/name/Vigil_SimCam"]
    t = threading.Thread(target=ws_discovery.serve, args=([device_url], scopes, stop_event),
                         daemon=True)
    t.start()
    return t


def main():
    args = parse_args()
    Handler.camera = Camera(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    stop_event = threading.Event()

    def quit_(*_):
        stop_event.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, quit_)
    signal.signal(signal.SIGINT, quit_)
    if args.discovery:
        start_discovery(f"http://127.0.0.1:{port}/onvif/device_service", stop_event)
    print(f"READY {port}", flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
