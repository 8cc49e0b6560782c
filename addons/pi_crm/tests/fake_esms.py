"""A fake eSMS.vn send endpoint on loopback, for the tests of PI's SMS gateway and of
what uses it. Odoo's test classes block outgoing HTTP except to 127.0.0.1 and
localhost (``BaseCase._request_handler``), so the fake needs nothing lifted."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


class FakeEsmsHandler(BaseHTTPRequestHandler):
    """eSMS's send endpoint as the tests need it: records each JSON body,
    answers the code set for the phone (100 by default), accepts a RequestId
    once (124 for a second time, as eSMS), and can be slow once."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        with server.lock:
            server.received.append(body)
            request_id = body.get("RequestId")
            code = server.codes.get(body.get("Phone"), "100")
            if code == "100" and request_id in server.accepted:
                code = "124"
            elif code == "100":
                server.accepted[request_id] = f"esms-{len(server.accepted) + 1}"
            delay, server.delay = server.delay, 0
        if delay:  # the message is taken, the answer comes too late
            time.sleep(delay)
        self.send_response(200 if self.path == SEND_PATH else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        answer = {"CodeResult": code, "SMSID": server.accepted.get(request_id, "")}
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args):
        pass


def start_fake_esms(test_class):
    """Start the fake on a free loopback port for ``test_class`` (stopped by its class
    cleanup); returns the server: its ``endpoint`` is the provider's base URL. Reset
    ``received``, ``accepted``, ``codes`` and ``delay`` in each test's setUp
    (``reset_fake_esms``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEsmsHandler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    reset_fake_esms(server)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    test_class.addClassCleanup(stop)
    server.endpoint = f"http://127.0.0.1:{server.server_port}"
    return server


def reset_fake_esms(server):
    """Forget what was received and accepted; every phone answers 100, at once."""
    server.received = []
    server.accepted = {}
    server.codes = {}
    server.delay = 0
