#!/usr/bin/env python3
"""A Telegram Bot API stand-in, and a webhook receiver, for claw's tests.

Serve (the test starts it; it listens on 127.0.0.1 only, on a free port):
    tgmock.py serve --token TOKEN [--port-file FILE]
It prints "READY <port>" on stdout once listening (and writes the port to
FILE), so a test waits on that line, never on a sleep.

Bot API subset, under /bot<TOKEN>/: getMe (the bot is @claw_test_bot),
sendMessage, getUpdates (long polling, offsets confirm), answerCallbackQuery,
editMessageText. Any other token gets
401 Unauthorized, as Telegram answers. Webhooks: POST /hook/<name> (ours),
/slack/<name>, /discord/<name> are recorded.

Control, for the test (through this same file: `tgmock.py ctl PORT ACTION
[JSON]`), each printing a JSON answer:
    press   {"from":42,"button":"Allow once"[,"chat":C]}  a button on the
            latest prompt (to chat C), as user 42 presses it
    text    {"from":42,"chat":42,"text":"/approve ..."[,"date":EPOCH]}
    wait    {"method":"sendMessage","count":1[,"keyboard":true][,"timeout":10]}
            blocks until that many such calls were received; answers them
    log     every call received: [{"path","method","body"}, ...]
    config  {"status":{"sendMessage":502},"delay":{"sendMessage":3},
             "hook":{"status":200,"body":{...},"delay":0}}
"""

import json
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, token):
        self.token = token
        self.lock = threading.Condition()
        self.calls = []        # every request: {"path", "method", "body"}
        self.updates = []      # pending updates, oldest first
        self.next_update = 1
        self.next_message = 100
        self.messages = []     # sent messages: {"message_id", "chat_id", "text", "reply_markup"}
        self.status = {}       # method -> HTTP status to answer with
        self.delay = {}        # method -> seconds to wait before answering
        self.hook = {"status": 200, "body": {}, "delay": 0}

    def record(self, path, method, body):
        with self.lock:
            self.calls.append({"path": path, "method": method, "body": body})
            self.lock.notify_all()

    def add_update(self, update):
        with self.lock:
            update["update_id"] = self.next_update
            self.next_update += 1
            self.updates.append(update)
            self.lock.notify_all()
            return update


STATE = None


def user(uid):
    return {"id": uid, "is_bot": False, "first_name": "u%d" % uid}


def chat_of(cid):
    try:
        n = int(cid)
    except (TypeError, ValueError):
        return {"id": -1000, "type": "channel", "username": str(cid).lstrip("@")}
    return {"id": n, "type": "private" if n > 0 else "group"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj):
        data = b"" if status == 204 else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        path = self.path.split("?")[0]
        body = self.body()
        parts = path.strip("/").split("/")
        if parts[0] == "_ctl":
            return self.control(parts[1] if len(parts) > 1 else "", body)
        if parts[0] in ("hook", "slack", "discord"):
            return self.webhook(parts[0], path, body)
        if len(parts) == 2 and parts[0].startswith("bot"):
            return self.bot_api(parts[0][3:], parts[1], path, body)
        self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    # ---- the Bot API ----

    def bot_api(self, token, method, path, body):
        st = STATE
        st.record("/bot<token>/" + method, method, body)
        if token != st.token:
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if st.delay.get(method):
            time.sleep(st.delay[method])
        if st.status.get(method):
            code = st.status[method]
            return self.reply(code, {"ok": False, "error_code": code,
                                     "description": "Mock failure %d" % code})
        fn = getattr(self, "api_" + method, None)
        if fn is None:
            return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        fn(body)

    def api_sendMessage(self, body):
        st = STATE
        with st.lock:
            mid = st.next_message
            st.next_message += 1
            msg = {"message_id": mid, "chat_id": body.get("chat_id"), "text": body.get("text"),
                   "reply_markup": body.get("reply_markup")}
            st.messages.append(msg)
        self.reply(200, {"ok": True, "result": {"message_id": mid, "date": int(time.time()),
                                                "chat": chat_of(body.get("chat_id")),
                                                "text": body.get("text")}})

    def api_getUpdates(self, body):
        st = STATE
        offset = int(body.get("offset") or 0)
        deadline = time.monotonic() + min(float(body.get("timeout") or 0), 30)
        with st.lock:
            if offset:
                st.updates = [u for u in st.updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in st.updates if u["update_id"] >= offset]
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    break
                st.lock.wait(left)
        self.reply(200, {"ok": True, "result": ready})

    def api_getMe(self, body):
        self.reply(200, {"ok": True, "result": {"id": 4242, "is_bot": True,
                                                "first_name": "claw test",
                                                "username": "claw_test_bot"}})

    def api_answerCallbackQuery(self, body):
        self.reply(200, {"ok": True, "result": True})

    def api_editMessageText(self, body):
        self.reply(200, {"ok": True, "result": {"message_id": body.get("message_id"),
                                                "text": body.get("text")}})

    # ---- webhooks ----

    def webhook(self, kind, path, body):
        st = STATE
        st.record(path, kind, body)
        hook = dict(st.hook)
        if kind != "hook":
            return self.reply(204 if kind == "discord" else 200, {})
        if hook.get("delay"):
            time.sleep(hook["delay"])
        self.reply(hook.get("status", 200), hook.get("body", {}))

    # ---- control ----

    def control(self, action, body):
        st = STATE
        if action == "press":
            with st.lock:
                msgs = [m for m in st.messages if m.get("reply_markup") and
                        ("chat" not in body or str(m["chat_id"]) == str(body["chat"]))]
            if not msgs:
                return self.reply(409, {"error": "no prompt with buttons was sent"})
            msg = msgs[-1]
            data = None
            for row in msg["reply_markup"]["inline_keyboard"]:
                for b in row:
                    if b["text"] == body["button"]:
                        data = b["callback_data"]
            if body.get("data"):
                data = body["data"]
            if data is None:
                return self.reply(409, {"error": "no button %r" % body["button"]})
            cq = {"id": "cq%d" % st.next_update, "from": user(body["from"]),
                  "chat_instance": "1", "data": data,
                  "message": {"message_id": msg["message_id"],
                              "chat": chat_of(body.get("chat", msg["chat_id"])),
                              "date": int(time.time()), "text": msg["text"]}}
            return self.reply(200, st.add_update({"callback_query": cq}))
        if action == "text":
            m = {"message_id": 5000 + st.next_update, "from": user(body["from"]),
                 "chat": chat_of(body.get("chat", body["from"])),
                 "date": body.get("date", int(time.time())), "text": body["text"]}
            return self.reply(200, st.add_update({"message": m}))
        if action == "wait":
            deadline = time.monotonic() + float(body.get("timeout", 10))
            want = int(body.get("count", 1))

            def matching():
                return [c for c in st.calls if c["method"] == body["method"] and
                        (not body.get("keyboard") or c["body"].get("reply_markup", {})
                         .get("inline_keyboard"))]
            with st.lock:
                while len(matching()) < want and time.monotonic() < deadline:
                    st.lock.wait(deadline - time.monotonic())
                got = matching()
            return self.reply(200 if len(got) >= want else 408, got)
        if action == "log":
            with st.lock:
                return self.reply(200, st.calls)
        if action == "config":
            with st.lock:
                st.status.update(body.get("status", {}))
                st.delay.update(body.get("delay", {}))
                if "hook" in body:
                    st.hook = body["hook"]
            return self.reply(200, {"ok": True})
        self.reply(404, {"error": "unknown control action %r" % action})


def serve(argv):
    global STATE
    token, port_file = None, None
    i = 0
    while i < len(argv):
        if argv[i] == "--token":
            token = argv[i + 1]
            i += 2
        elif argv[i] == "--port-file":
            port_file = argv[i + 1]
            i += 2
        else:
            sys.exit("tgmock: unknown option %s" % argv[i])
    STATE = State(token or "")
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        import os
        os.rename(port_file + ".tmp", port_file)
    print("READY %d" % port, flush=True)
    srv.serve_forever()


def ctl(argv):
    port, action = argv[0], argv[1]
    body = argv[2] if len(argv) > 2 else "{}"
    timeout = float(json.loads(body).get("timeout", 10)) + 5
    req = urllib.request.Request("http://127.0.0.1:%s/_ctl/%s" % (port, action),
                                 data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            print(r.read().decode())
    except urllib.error.HTTPError as e:
        print(e.read().decode())
        sys.exit(1)


def free_port():
    """A port nothing listens on (bound, then closed): for "server down"."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    print(port)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(rest)
    elif cmd == "ctl":
        ctl(rest)
    elif cmd == "free-port":
        free_port()
    else:
        sys.exit(__doc__)
