"""The simulated ONVIF camera's state for tests/support/onvif_sim.py: its clock (with a
skew), its pull-point subscriptions and their queued notifications, its counters, and the
notification messages for motion, digital inputs and tampering (python3 standard library)."""

import datetime
import threading
import time

def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text):
    text = text.strip().replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text).timestamp()


def parse_duration(text, default):
    """PT5S, PT1M, PT0.5S -> seconds; an absolute time -> seconds from now."""
    text = (text or "").strip()
    if not text:
        return default
    if text.startswith("PT"):
        total, num = 0.0, ""
        for ch in text[2:]:
            if ch.isdigit() or ch == ".":
                num += ch
            else:
                total += float(num or 0) * {"H": 3600, "M": 60, "S": 1}.get(ch, 0)
                num = ""
        return total
    try:
        return parse_iso(text) - time.time()
    except ValueError:
        return default


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find_local(node, name):
    for el in node.iter():
        if local(el.tag) == name:
            return el
    return None


class Camera:
    """The simulated camera's state, shared by the request threads."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Condition()
        self.subs = {}  # id -> {"queue": [...], "until": camera time}
        self.next_id = 1
        self.motion = False
        self.inputs = {}
        self.tamper = False
        self.fail_renews = 0
        self.slow = 0.0
        self.stats = {"subscriptions": 0, "renews": 0, "renew_failures": 0,
                      "unsubscribes": 0, "pulls": 0, "auth_failures": 0,
                      "notifications_sent": 0, "http_challenges": 0}

    def now(self):
        return time.time() + self.args.skew

    def message(self, topic, source, data, op="Changed"):
        src = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in source)
        dat = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in data)
        return (
            "<wsnt:NotificationMessage><wsnt:Topic "
            'Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">'
            f"{topic}</wsnt:Topic><wsnt:Message>"
            f'<tt:Message UtcTime="{iso(self.now())}" PropertyOperation="{op}">'
            f"<tt:Source>{src}</tt:Source><tt:Data>{dat}</tt:Data></tt:Message>"
            "</wsnt:Message></wsnt:NotificationMessage>"
        )

    def motion_message(self, state, topic="cell", op="Changed"):
        value = "true" if state else "false"
        if topic == "alarm":
            return self.message("tns1:VideoSource/MotionAlarm", [("Source", "vs1")],
                                [("State", value)], op)
        return self.message(
            "tns1:RuleEngine/CellMotionDetector/Motion",
            [("VideoSourceConfigurationToken", "vsc1"),
             ("VideoAnalyticsConfigurationToken", "vac1"), ("Rule", "MotionRule")],
            [("IsMotion", value)], op)

    def input_message(self, token, state, op="Changed"):
        return self.message("tns1:Device/Trigger/DigitalInput", [("InputToken", token)],
                            [("LogicalState", "true" if state else "false")], op)

    def tamper_message(self, state, op="Changed"):
        return self.message("tns1:RuleEngine/TamperDetector/Tamper",
                            [("VideoSourceConfigurationToken", "vsc1")],
                            [("IsTamper", "true" if state else "false")], op)

    def publish(self, msg):
        with self.lock:
            for sub in self.subs.values():
                sub["queue"].append(msg)
            self.lock.notify_all()

    def initial_messages(self):
        msgs = [self.motion_message(self.motion, op="Initialized")]
        msgs += [self.input_message(t, s, op="Initialized") for t, s in self.inputs.items()]
        msgs.append(self.tamper_message(self.tamper, op="Initialized"))
        return msgs

    def expire(self):
        now = self.now()
        for sid in [s for s, v in self.subs.items() if v["until"] < now]:
            del self.subs[sid]
