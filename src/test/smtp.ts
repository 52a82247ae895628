// A real SMTP server for tests: smtp-server on 127.0.0.1 in this process, every delivered message parsed with
// mailparser into `delivered`; `refuse` holds addresses it answers 550 for.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface TestSmtp {
  port: number;
  delivered: ParsedMail[];
  refuse: Set<string>;
  stop(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const delivered: ParsedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        delivered.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, delivered, refuse, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
