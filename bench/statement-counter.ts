import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A pass-through proxy in front of PostgreSQL that counts the statements its clients run: every
 * simple Query ('Q') and extended-protocol Execute ('E') message. It sees what the server under
 * test really sends, with no hook in the server; the bench points a separate instance at it.
 */
export class StatementCounter {
  count = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      upstream.pipe(client);
      const parse = this.parser();
      client.on("data", (chunk: Buffer) => {
        parse(chunk);
        upstream.write(chunk);
      });
    });
  }

  /** Frames one client's byte stream: untyped start-up messages first, then typed ones. */
  private parser(): (chunk: Buffer) => void {
    let buffer = Buffer.alloc(0);
    let startup = true;
    return (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = startup ? 4 : 5;
        if (buffer.length < header) return;
        const length = buffer.readInt32BE(startup ? 0 : 1);
        const total = startup ? length : length + 1;
        if (buffer.length < total) return;
        if (startup) {
          // An SSL or GSS request (protocol code 1234.x) is followed by the real start-up message.
          startup = buffer.readInt16BE(4) === 1234;
        } else if (buffer[0] === 0x51 || buffer[0] === 0x45) {
          this.count++;
        }
        buffer = buffer.subarray(total);
      }
    };
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
