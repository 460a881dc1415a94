import net from 'node:net';

/** One mail as the test SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  messageId: string | null;
  /** The decoded text body (base64 in transit). */
  text: string;
  subject: string;
}

/**
 * A minimal SMTP server on 127.0.0.1 for tests: it accepts EHLO/HELO, MAIL, RCPT, DATA, RSET,
 * NOOP and QUIT, and keeps every mail it accepted. Not a product file: tests import it.
 */
export async function startTestSmtpServer(): Promise<{ port: number; url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let dataLines: string[] = [];
    let from = '';
    let to: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i = buffer.indexOf('\r\n');
      while (i >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        i = buffer.indexOf('\r\n');
        if (inData) {
          if (line === '.') {
            inData = false;
            const data = dataLines.join('\r\n');
            mails.push(parseMail(from, to, data));
            dataLines = [];
            reply('250 queued');
          } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          reply('250-test greets you');
          reply('250 8BITMIME');
        } else if (verb === 'HELO') reply('250 test');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          reply('250 ok');
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseMail(from: string, to: string[], data: string): ReceivedMail {
  const split = data.indexOf('\r\n\r\n');
  const head = split >= 0 ? data.slice(0, split) : data;
  const body = split >= 0 ? data.slice(split + 4) : '';
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? null;
  const rawSubject = header('Subject') ?? '';
  const encoded = /^=\?UTF-8\?B\?(.*)\?=$/.exec(rawSubject);
  return {
    from,
    to,
    data,
    messageId: header('Message-ID'),
    subject: encoded ? Buffer.from(encoded[1] ?? '', 'base64').toString('utf8') : rawSubject,
    text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8'),
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
