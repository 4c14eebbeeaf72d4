"""wsdeflate: a raw WebSocket client with permessage-deflate (RFC 7692), for confab's tests
and benchmarks (Python 3 stdlib only: zlib).

    ws = DeflateClient(port, offer="permessage-deflate; client_max_window_bits=10")
    ws.deflate           # True when the hub accepted the extension
    ws.headers           # the 101 answer's headers (lower-case names)
    ws.send_json({...})  # compressed when deflate is on (compress=False: sent plain)
    ws.recv()            # decoded JSON; compressed messages are inflated
    ws.wire_rx, ws.wire_tx   # bytes read from / written to the socket (handshake included)
    ws.ws_rx, ws.ws_tx       # message payload bytes before compression / after inflation
    ws.send_compressed_raw(data)  # one text frame with RSV1 set and `data` as its payload

It is a WsClient (tests/lib/confabtest.py) with its own handshake and message layer; ping,
pong and close handling are WsClient's. offer=None sends no extension offer.
"""

import json
import struct
import zlib

from confabtest import DEFAULT_TIMEOUT, OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, \
    OP_TEXT, WsClient, WsClosed

DEFAULT_OFFER = "permessage-deflate; client_max_window_bits=10"


class DeflateClient(WsClient):
    """A WsClient that offers (and then speaks) permessage-deflate."""

    def __init__(self, port, host="127.0.0.1", path="/", subprotocol="confab.1",
                 offer=DEFAULT_OFFER, client_bits=10, timeout=DEFAULT_TIMEOUT,
                 max_message=None):
        self._frag_rsv1 = False
        self.wire_rx = 0
        self.wire_tx = 0
        self.ws_rx = 0
        self.ws_tx = 0
        self.max_message = max_message
        WsClient.__init__(self, port, host=host, path=path, subprotocol=subprotocol,
                          timeout=timeout, extensions=offer)
        ext = self.headers.get("sec-websocket-extensions", "")
        self.deflate = ext.split(";")[0].strip() == "permessage-deflate"
        params = [p.strip() for p in ext.split(";")[1:]]
        self.client_no_context = "client_no_context_takeover" in params
        self.server_no_context = "server_no_context_takeover" in params
        for p in params:
            if p.startswith("client_max_window_bits="):
                client_bits = min(client_bits, int(p.split("=", 1)[1]))
        self.client_bits = client_bits
        self._comp = None
        self._decomp = zlib.decompressobj(-15)

    # -- byte counting

    def _sendall(self, data):
        self.wire_tx += len(data)
        self.sock.sendall(data)

    def _fill(self, deadline):
        before = len(self.buf)
        try:
            WsClient._fill(self, deadline)
        finally:
            self.wire_rx += len(self.buf) - before

    # -- sending

    def compress(self, data):
        """data as one permessage-deflate message payload (trailer stripped)."""
        if self._comp is None or self.client_no_context:
            self._comp = zlib.compressobj(6, zlib.DEFLATED, -self.client_bits, 8)
        out = self._comp.compress(data) + self._comp.flush(zlib.Z_SYNC_FLUSH)
        assert out.endswith(b"\x00\x00\xff\xff")
        return out[:-4]

    def send_text(self, text, compress=True):
        """Sends one text message, compressed when deflate is on (and compress)."""
        if isinstance(text, str):
            text = text.encode("utf-8")
        self.ws_tx += len(text)
        if self.deflate and compress:
            self.send_raw_frame(OP_TEXT, self.compress(text), rsv=4)
        else:
            self.send_raw_frame(OP_TEXT, text)

    def send_compressed_raw(self, payload):
        """One text frame with RSV1 set and payload as given (already deflated)."""
        self.send_raw_frame(OP_TEXT, payload, rsv=4)

    # -- receiving

    def _read_message(self, deadline):
        if self.closed:
            raise WsClosed("connection closed (code %r)" % self.close_code)
        while True:
            b0 = None
            fin, op, payload = self._frame(deadline)
            if op == OP_PING:
                self.send_raw_frame(OP_PONG, payload)
                continue
            if op == OP_PONG:
                self.pongs.append(payload)
                continue
            if op == OP_CLOSE:
                self.close_code = struct.unpack("!H", payload[:2])[0] \
                    if len(payload) >= 2 else None
                try:
                    self.send_raw_frame(OP_CLOSE, payload[:2])
                except OSError:
                    pass
                self.closed = True
                self.sock.close()
                raise WsClosed("closed by the hub (code %r)" % self.close_code)
            b0 = self._last_b0
            if op in (OP_TEXT, OP_BINARY):
                self._frag, self._frag_op = payload, op
                self._frag_rsv1 = bool(b0 & 0x40)
                self.frames_plain = getattr(self, "frames_plain", 0) + \
                    (0 if self._frag_rsv1 else 1)
            elif op == OP_CONT and self._frag is not None:
                self._frag += payload
            else:
                raise RuntimeError("unexpected frame opcode %d" % op)
            if fin:
                data, kind = self._frag, self._frag_op
                self._frag = None
                if self._frag_rsv1:
                    if not self.deflate:
                        raise RuntimeError("compressed frame without deflate")
                    limit = self.max_message or 0
                    data = self._decomp.decompress(data + b"\x00\x00\xff\xff", limit)
                    if self.server_no_context:
                        self._decomp = zlib.decompressobj(-15)
                self.ws_rx += len(data)
                msg = json.loads(data.decode("utf-8")) if kind == OP_TEXT else data
                self.received.append(msg)
                return msg

    def _frame(self, deadline):
        """WsClient._frame, remembering the first byte (RSV1 marks compression)."""
        while len(self.buf) < 1:
            self._fill(deadline)
        self._last_b0 = self.buf[0]
        return WsClient._frame(self, deadline)
