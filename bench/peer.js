#!/usr/bin/env node
/* bench/peer.js: a minimal confab hub on Node.js and the `ws` package (Debian's node-ws
 * 8.x), the peer that bench/hubbench.py measures confabd against (issue 13).
 *
 * It speaks the subset of doc/PROTOCOL.md that bench/loadgen uses, written the plain way
 * a Node programmer would:
 *   - the upgrade on any path with subprotocol confab.1 (or none); a handshake offering
 *     only other subprotocols is refused;
 *   - with --deflate, permessage-deflate from ws: every data frame compressed (threshold 0)
 *     and "Confab-Deflate: every-frame" in the 101 answer, as the protocol asks of a hub.
 *     --zlib confabd (the default) sizes zlib as confabd does (a 2^10 window for clients
 *     that offer client_max_window_bits=10, memLevel 4); --zlib ws keeps ws's defaults;
 *   - hello -> welcome (the same members in the same order as confabd's; program, limits,
 *     timers and lineup are the bytes of a welcome captured from a real confabd --demo,
 *     checked to re-encode identically), then the lobby's last 20 chat events;
 *     name-taken for a name in use (case-insensitive);
 *   - say -> ok with seq, then the chat event to everyone in the lobby, the sender too;
 *     cids remembered (the last 4096) as confabd does; the lobby is the only room;
 *   - ping -> pong (the protocol's clock ping);
 *   - WebSocket PING/PONG as ws does by default (it answers PINGs and sends none).
 * Not done: rooms other than the lobby, occupancy/rooms events, timers, private messages,
 * resume, rate limits, moderation, TLS, a store. An over-long message closes the link
 * (ws's maxPayload) instead of the protocol's bad-frame reply.
 *
 * Usage: node bench/peer.js --welcome FILE [--listen HOST:PORT] [--deflate] [--zlib confabd|ws]
 * Prints "listening on ws://HOST:PORT" on stdout once it listens; exits 0 on SIGTERM. */
'use strict';

const crypto = require('crypto');
const fs = require('fs');

let ws;
try {
  ws = require('ws');
} catch (e) {
  ws = require('/usr/share/nodejs/ws'); // Debian's node-ws, for a node that does not look there
}

const MAX_FRAME = 16384;
const MAX_TEXT = 2000;
const MAX_NAME = 32;
const HISTORY = 200;
const BACKLOG = 20;
const CIDS = 4096;

function die(msg) {
  process.stderr.write('peer.js: ' + msg + '\n');
  process.exit(2);
}

function options(argv) {
  const o = { host: '127.0.0.1', port: 0, welcome: null, deflate: false, zlib: 'confabd' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--deflate') o.deflate = true;
    else if (a === '--welcome' && i + 1 < argv.length) o.welcome = argv[++i];
    else if (a === '--zlib' && i + 1 < argv.length) o.zlib = argv[++i];
    else if (a === '--listen' && i + 1 < argv.length) {
      const m = /^(.*):(\d+)$/.exec(argv[++i]);
      if (!m) die('--listen wants HOST:PORT');
      o.host = m[1];
      o.port = Number(m[2]);
    } else die('usage: peer.js --welcome FILE [--listen HOST:PORT] [--deflate] [--zlib confabd|ws]');
  }
  if (!o.welcome) die('--welcome FILE is required (a welcome captured from confabd)');
  if (o.zlib !== 'confabd' && o.zlib !== 'ws') die('--zlib wants confabd or ws');
  return o;
}

const opts = options(process.argv.slice(2));

/* The captured welcome: the members that are the same for everyone, as bytes. */
const raw = fs.readFileSync(opts.welcome, 'utf8');
const W = JSON.parse(raw);
if (W.type !== 'welcome' || !W.program || !Array.isArray(W.rooms)) die(opts.welcome + ' is not a welcome');
function member(name) {
  const text = JSON.stringify(W[name]);
  if (!raw.includes('"' + name + '":' + text)) die('the captured ' + name + ' does not re-encode to the same bytes');
  return text;
}
const PROGRAM = member('program');
const LIMITS = member('limits');
const TIMERS = member('timers');
const LINEUP = member('lineup');
const VERSION = W.program_version;
const ROOMS = W.rooms;
const EPOCH = crypto.randomBytes(8).toString('hex');

const lobby = new Set();   // sessions that said hello
const names = new Map();   // lower-case name -> session
const history = [];        // the lobby's last chat events (strings)
const cids = new Map();    // cid -> seq
let seq = 0;

function hex16() {
  return crypto.randomBytes(16).toString('hex');
}

function send(s, obj) {
  s.ws.send(JSON.stringify(obj));
}

function error(s, re, code, message) {
  const e = { type: 'error', re: re, code: code };
  if (message) e.message = message;
  send(s, e);
}

function welcome(s, id, cached) {
  ROOMS[0].occupancy = lobby.size;
  const from = Math.max(1, seq - BACKLOG + 1);
  s.ws.send('{"type":"welcome","re":' + id + ',"proto":1,"hub":"peer.js 0.1.0","epoch":"' + EPOCH +
    '","name":' + JSON.stringify(s.name) + ',"role":"attendee","resume":"' + hex16() + '","now":' + Date.now() +
    ',"limits":' + LIMITS + ',"program_version":' + JSON.stringify(VERSION) +
    (cached === VERSION ? '' : ',"program":' + PROGRAM) + ',"rooms":' + JSON.stringify(ROOMS) +
    ',"timers":' + TIMERS + ',"joined":["lobby"],"history":{"lobby":{"last":' + seq + ',"from":' + from +
    ',"lost":false}},"lineup":' + LINEUP + ',"secret":"' + hex16() + '"}');
  for (let i = Math.max(0, history.length - BACKLOG); i < history.length; i++) s.ws.send(history[i]);
}

function bytes(str) {
  return Buffer.byteLength(str, 'utf8');
}

function hello(s, id, m) {
  if (!Number.isSafeInteger(m.proto)) return error(s, id, 'bad-field', 'field "proto"');
  if (typeof m.name !== 'string' || m.name === '') return error(s, id, 'bad-field', 'field "name"');
  if (bytes(m.name) > MAX_NAME) return error(s, id, 'too-long', 'field "name"');
  if (s.name !== null) return error(s, id, 'already-hello');
  if (m.proto !== 1) return error(s, id, 'unsupported-version');
  const key = m.name.toLowerCase();
  if (names.has(key)) return error(s, id, 'name-taken');
  s.name = m.name;
  names.set(key, s);
  lobby.add(s);
  welcome(s, id, m.program);
}

function say(s, id, m) {
  if (typeof m.room !== 'string') return error(s, id, 'bad-field', 'field "room"');
  if (m.me !== undefined && m.me !== null && typeof m.me !== 'boolean') return error(s, id, 'bad-field', 'field "me"');
  if (typeof m.text !== 'string' || m.text === '') return error(s, id, 'bad-field', 'field "text"');
  if (bytes(m.text) > MAX_TEXT) return error(s, id, 'too-long', 'field "text"');
  const cid = m.cid === null ? undefined : m.cid;
  if (cid !== undefined && (typeof cid !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(cid))) {
    return error(s, id, 'bad-field', 'field "cid"');
  }
  if (s.name === null) return error(s, id, 'hello-first');
  if (cid !== undefined && cids.has(cid)) return send(s, { type: 'ok', re: id, seq: cids.get(cid), dup: true });
  if (m.room !== 'lobby') return error(s, id, ROOMS.some((r) => r.id === m.room) ? 'not-in-room' : 'no-such-room');
  seq++;
  if (cid !== undefined) {
    cids.set(cid, seq);
    if (cids.size > CIDS) cids.delete(cids.keys().next().value);
  }
  send(s, { type: 'ok', re: id, seq: seq });
  const ev = { type: 'chat', stream: 'room:lobby', seq: seq, room: 'lobby', from: s.name, text: m.text, ts: Date.now() };
  if (m.me === true) ev.me = true;
  const frame = JSON.stringify(ev);
  history.push(frame);
  if (history.length > HISTORY) history.shift();
  const data = Buffer.from(frame);
  for (const o of lobby) o.ws.send(data, { binary: false });
}

function ping(s, id, m) {
  if (!Number.isSafeInteger(m.t0)) return error(s, id, 'bad-field', 'field "t0"');
  const now = Date.now();
  send(s, { type: 'pong', re: id, t0: m.t0, t1: now, t2: now });
}

function message(s, data, isBinary) {
  if (isBinary) return error(s, 0, 'bad-frame', 'binary messages are not accepted');
  let m;
  try {
    m = JSON.parse(data.toString('utf8'));
  } catch (e) {
    return error(s, 0, 'bad-json');
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return error(s, 0, 'bad-json');
  const id = Number.isSafeInteger(m.id) && m.id > 0 ? m.id : 0;
  if (typeof m.type !== 'string') return error(s, id, 'bad-field', 'field "type"');
  const handler = { hello: hello, say: say, ping: ping }[m.type];
  if (handler === undefined) return error(s, id, 'unknown-type');
  if (id === 0) return error(s, 0, 'bad-field', 'field "id"');
  handler(s, id, m);
}

let deflate = false;
if (opts.deflate) {
  deflate = { threshold: 0 };
  if (opts.zlib === 'confabd') {
    deflate.serverMaxWindowBits = 10;
    deflate.zlibDeflateOptions = { memLevel: 4 };
  }
}

const server = new ws.WebSocketServer({
  host: opts.host,
  port: opts.port,
  clientTracking: false,
  maxPayload: MAX_FRAME,
  perMessageDeflate: deflate,
  handleProtocols: (protocols) => (protocols.has('confab.1') ? 'confab.1' : false),
  verifyClient: (info) => {
    const offered = info.req.headers['sec-websocket-protocol'];
    return offered === undefined || offered.split(',').some((p) => p.trim() === 'confab.1');
  },
});

server.on('headers', (headers) => {
  if (headers.some((h) => /^sec-websocket-extensions: *permessage-deflate/i.test(h))) {
    headers.push('Confab-Deflate: every-frame');
  }
});

server.on('connection', (sock) => {
  const s = { ws: sock, name: null };
  sock.on('message', (data, isBinary) => message(s, data, isBinary));
  sock.on('error', () => {});
  sock.on('close', () => {
    if (s.name !== null) {
      lobby.delete(s);
      names.delete(s.name.toLowerCase());
    }
  });
});

server.on('listening', () => {
  const a = server.address();
  process.stdout.write('listening on ws://' + a.address + ':' + a.port + '\n');
});

server.on('error', (e) => die(e.message));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
