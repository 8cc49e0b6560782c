"""A minimal SMTP server on loopback for tests that send real e-mail.

Pure standard library (``socketserver``; ``smtpd`` is gone from Python 3.12 and
``aiosmtpd`` is not installed): enough of RFC 5321 for ``smtplib`` — EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT, no TLS, no authentication — keeping each
message as received. Bound to 127.0.0.1 on a free port, stopped by the test;
every wait is bounded.

    with LocalSmtpServer() as smtp:
        ...  # an ir.mail_server on smtp.host / smtp.port
        message = smtp.wait_for_message(timeout=10)   # an email.message.EmailMessage
"""

import email
import email.policy
import queue
import socketserver
import threading

HOST = "127.0.0.1"
# A client idle this long is dropped, so a stuck test never hangs the server thread.
CLIENT_TIMEOUT = 10
MAX_MESSAGE_BYTES = 20 * 1024 * 1024


class ReceivedMessage:
    """One message as the server received it: envelope and parsed content."""

    def __init__(self, mail_from, rcpt_to, data):
        self.mail_from = mail_from
        self.rcpt_to = rcpt_to
        self.data = data
        self.message = email.message_from_bytes(data, policy=email.policy.default)

    def attachments(self):
        """``[(filename, content type, bytes)]`` of the message's attachments."""
        return [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                for part in self.message.iter_attachments()]

    def text_bodies(self):
        """The decoded text/plain and text/html parts."""
        return [part.get_content() for part in self.message.walk()
                if part.get_content_type() in ("text/plain", "text/html")]


class _SmtpHandler(socketserver.StreamRequestHandler):
    timeout = CLIENT_TIMEOUT

    def _reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self._reply(f"220 {HOST} PI test SMTP ready")
        mail_from, rcpt_to = None, []
        while True:
            try:
                line = self.rfile.readline(65536)
            except OSError:  # timeout or reset: drop the client
                return
            if not line:
                return
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply(f"250-{HOST}")
                self._reply(f"250-SIZE {MAX_MESSAGE_BYTES}")
                self._reply("250-8BITMIME")
                self._reply("250 SMTPUTF8")
            elif verb == "HELO":
                self._reply(f"250 {HOST}")
            elif verb == "MAIL":
                mail_from, rcpt_to = _address(command), []
                self._reply("250 OK")
            elif verb == "RCPT":
                rcpt_to.append(_address(command))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if data is None:
                    return
                self.server.messages.put(ReceivedMessage(mail_from, rcpt_to, data))
                mail_from, rcpt_to = None, []
                self._reply("250 OK: queued")
            elif verb == "RSET":
                mail_from, rcpt_to = None, []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _read_data(self):
        lines, size = [], 0
        while True:
            try:
                line = self.rfile.readline(65536)
            except OSError:
                return None
            if not line:
                return None
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            if line.startswith(b".."):  # dot-stuffing (RFC 5321 4.5.2)
                line = line[1:]
            size += len(line)
            if size > MAX_MESSAGE_BYTES:
                return None
            lines.append(line)


def _address(command):
    """The address of ``MAIL FROM:<a@b> SIZE=…`` or ``RCPT TO:<a@b>``."""
    _verb, _sep, rest = command.partition(":")
    rest = rest.strip()
    if rest.startswith("<"):
        return rest[1:rest.find(">")] if ">" in rest else rest[1:]
    return rest.split(" ")[0]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 and a free port, in a thread, for one test."""

    def __init__(self):
        self._server = None
        self._thread = None

    @property
    def host(self):
        return HOST

    @property
    def port(self):
        return self._server.server_address[1]

    def start(self):
        self._server = _Server((HOST, 0), _SmtpHandler)  # port 0: the system picks a free one
        self._server.messages = queue.Queue()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="pi-local-smtp", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def wait_for_message(self, timeout=10):
        """The next message received, waiting at most ``timeout`` seconds (``queue.Empty`` after)."""
        return self._server.messages.get(timeout=timeout)

    def received(self):
        """Every message received so far and not yet taken, without waiting."""
        messages = []
        while True:
            try:
                messages.append(self._server.messages.get_nowait())
            except queue.Empty:
                return messages
