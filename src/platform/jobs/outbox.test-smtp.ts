import net from 'node:net';
import tls from 'node:tls';

/** One mail as the test SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it went over the wire (headers and encoded body, dot-stuffing undone). */
  data: string;
  messageId: string | null;
  /** The decoded text body, line breaks as `\n`. */
  text: string;
  /** The decoded subject. */
  subject: string;
  /** Every header, names in lower case, folded lines joined, encoded words left as sent. */
  headers: Map<string, string>;
  /** The account that authenticated, if any. */
  authUser: string | null;
  /** Whether the session was TLS (STARTTLS) when the mail came. */
  secure: boolean;
}

/** What the test server asks of its clients. */
export interface TestSmtpOptions {
  /** Offers `AUTH PLAIN LOGIN` and refuses mail (530) until this account has signed in. */
  auth?: { user: string; password: string };
  /** Offers STARTTLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

/** A running test server. */
export interface TestSmtpServer {
  port: number;
  url: string;
  mails: ReceivedMail[];
  /** Answers the next `n` mails' end of data with this reply (e.g. `451 4.3.0 try later`) instead of accepting them. */
  refuseNext(n: number, reply: string): void;
  close(): Promise<void>;
}

/**
 * A minimal but faithful SMTP server on 127.0.0.1 for tests (RFC 5321): EHLO/HELO, optional
 * STARTTLS and AUTH PLAIN/LOGIN, MAIL (with ESMTP parameters such as `BODY=8BITMIME`), RCPT,
 * DATA with dot-unstuffing, RSET, NOOP, QUIT; commands may arrive pipelined. It decodes what a
 * real client (nodemailer) sends: folded headers, RFC 2047 encoded words, quoted-printable or
 * base64 bodies. Not a product file: tests import it.
 */
export async function startTestSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<net.Socket>();
  const refusal = { left: 0, reply: '' };
  const secureContext = options.tls ? tls.createSecureContext({ key: options.tls.key, cert: options.tls.cert }) : undefined;

  /** One SMTP session on a plain socket, or on the TLS socket that STARTTLS made of it. */
  const session = (socket: net.Socket, secure: boolean) => {
    let buffer = Buffer.alloc(0);
    let inData = false;
    let dataLines: string[] = [];
    let greeted = false;
    let from: string | null = null;
    let to: string[] = [];
    let authUser: string | null = null;
    /** A multi-step AUTH exchange in progress: what the next line answers. */
    let authStep: { method: 'PLAIN' } | { method: 'LOGIN'; user?: string } | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const signIn = (user: string, password: string) => {
      authStep = null;
      if (options.auth && user === options.auth.user && password === options.auth.password) {
        authUser = user;
        reply('235 2.7.0 authentication successful');
      } else reply('535 5.7.8 authentication credentials invalid');
    };
    const plain = (b64: string) => {
      const [, user = '', password = ''] = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      signIn(user, password);
    };
    const fromB64 = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

    const onLine = (line: string): 'upgrade' | undefined => {
      if (inData) {
        if (line === '.') {
          inData = false;
          const data = dataLines.join('\r\n');
          dataLines = [];
          if (refusal.left > 0) {
            refusal.left -= 1;
            reply(refusal.reply);
          } else {
            mails.push(parseMail(from ?? '', to, data, authUser, secure));
            reply('250 2.0.0 queued');
          }
          from = null;
          to = [];
        } else dataLines.push(line.startsWith('.') ? line.slice(1) : line);
        return;
      }
      if (authStep) {
        if (line === '*') {
          authStep = null;
          reply('501 5.0.0 authentication cancelled');
        } else if (authStep.method === 'PLAIN') plain(line);
        else if (authStep.user === undefined) {
          authStep = { method: 'LOGIN', user: fromB64(line) };
          reply('334 UGFzc3dvcmQ6');
        } else signIn(authStep.user, fromB64(line));
        return;
      }
      const [verb = '', ...args] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO': {
          greeted = true;
          const extensions = ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE 10485760'];
          if (secureContext && !secure) extensions.push('STARTTLS');
          if (options.auth) extensions.push('AUTH PLAIN LOGIN');
          reply(`250-test greets ${args[0] ?? 'you'}`);
          for (const [i, ext] of extensions.entries()) reply(`250${i === extensions.length - 1 ? ' ' : '-'}${ext}`);
          return;
        }
        case 'HELO':
          greeted = true;
          reply('250 test');
          return;
        case 'STARTTLS':
          if (!secureContext || secure) reply('502 5.5.1 not available');
          else {
            reply('220 2.0.0 ready to start TLS');
            return 'upgrade';
          }
          return;
        case 'AUTH': {
          const method = (args[0] ?? '').toUpperCase();
          if (!options.auth) reply('502 5.5.1 not available');
          else if (authUser) reply('503 5.5.1 already authenticated');
          else if (method === 'PLAIN' && args[1]) plain(args[1]);
          else if (method === 'PLAIN') {
            authStep = { method: 'PLAIN' };
            reply('334 ');
          } else if (method === 'LOGIN' && args[1]) {
            authStep = { method: 'LOGIN', user: fromB64(args[1]) };
            reply('334 UGFzc3dvcmQ6');
          } else if (method === 'LOGIN') {
            authStep = { method: 'LOGIN' };
            reply('334 VXNlcm5hbWU6');
          } else reply('504 5.5.4 unrecognised authentication type');
          return;
        }
        case 'MAIL': {
          const address = /^FROM:\s*<([^>]*)>/i.exec(line.slice(5));
          if (!greeted) reply('503 5.5.1 EHLO first');
          else if (options.auth && !authUser) reply('530 5.7.0 authentication required');
          else if (!address) reply('501 5.5.4 syntax: MAIL FROM:<address>');
          else {
            from = address[1] ?? '';
            to = [];
            reply('250 2.1.0 ok');
          }
          return;
        }
        case 'RCPT': {
          const address = /^TO:\s*<([^>]+)>/i.exec(line.slice(5));
          if (from === null) reply('503 5.5.1 MAIL first');
          else if (!address?.[1]) reply('501 5.5.4 syntax: RCPT TO:<address>');
          else {
            to.push(address[1]);
            reply('250 2.1.5 ok');
          }
          return;
        }
        case 'DATA':
          if (to.length === 0) reply('503 5.5.1 RCPT first');
          else {
            inData = true;
            reply('354 end data with <CR><LF>.<CR><LF>');
          }
          return;
        case 'RSET':
          from = null;
          to = [];
          reply('250 2.0.0 ok');
          return;
        case 'NOOP':
          reply('250 2.0.0 ok');
          return;
        case 'QUIT':
          reply('221 2.0.0 bye');
          socket.end();
          return;
        default:
          reply('502 5.5.2 not implemented');
      }
    };

    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let i = buffer.indexOf('\r\n');
      while (i >= 0) {
        const line = buffer.subarray(0, i).toString('utf8');
        buffer = buffer.subarray(i + 2);
        i = buffer.indexOf('\r\n');
        if (onLine(line) === 'upgrade' && secureContext) {
          // The rest of the session, greeting excepted, starts again over TLS (RFC 3207).
          socket.off('data', onData);
          const upgraded = new tls.TLSSocket(socket, { isServer: true, secureContext });
          upgraded.on('error', () => undefined);
          session(upgraded, true);
          return;
        }
      }
    };
    socket.on('data', onData);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('220 test ESMTP\r\n');
    session(socket, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuseNext(n, reply) {
      refusal.left = n;
      refusal.reply = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); whitespace between two of them is dropped. */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = '';
  let bytes: Buffer[] = [];
  let last = 0;
  const flush = () => {
    out += Buffer.concat(bytes).toString('utf8');
    bytes = [];
  };
  for (const m of value.matchAll(word)) {
    const between = value.slice(last, m.index);
    if (!(bytes.length > 0 && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    const [, , encoding = '', text = ''] = m;
    bytes.push(encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text.replace(/_/g, ' ')));
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

/** The bytes of quoted-printable text: `=XX` escapes, soft line breaks removed. */
function qpBytes(text: string): Buffer {
  const unfolded = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i += 1) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(unfolded[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

function parseMail(from: string, to: string[], data: string, authUser: string | null, secure: boolean): ReceivedMail {
  const split = data.indexOf('\r\n\r\n');
  const head = split >= 0 ? data.slice(0, split) : data;
  const body = split >= 0 ? data.slice(split + 4) : '';
  const headers = new Map<string, string>();
  // Unfolding (RFC 5322 2.2.3): a line break followed by white space continues the header.
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? qpBytes(body)
        : Buffer.from(body, 'utf8');
  return {
    from,
    to,
    data,
    messageId: headers.get('message-id') ?? null,
    subject: decodeWords(headers.get('subject') ?? ''),
    text: decoded.toString('utf8').replace(/\r\n/g, '\n'),
    headers,
    authUser,
    secure,
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
