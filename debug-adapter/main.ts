// The adapter as a process: over stdin/stdout (VS Code's "executable" adapter), or as a TCP
// server with --server=PORT that serves one session per connection (any DAP client; the
// DebugClient tests). The extension can also run KdsimDebugSession inline.

import { createServer, type AddressInfo, type Server } from 'node:net';
import { KdsimDebugSession } from './session';

/** Starts a TCP server on `port` (0: any free port); resolves once it listens. */
export function startServer(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const session = new KdsimDebugSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
      socket.on('error', () => socket.destroy());
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function main(argv: readonly string[]): void {
  const flag = argv.find((a) => a.startsWith('--server'));
  if (flag === undefined) {
    const session = new KdsimDebugSession();
    session.start(process.stdin, process.stdout);
    return;
  }
  const port = Number(flag.split('=')[1] ?? '4711');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`kdsim debug adapter: --server=PORT needs a port number, not '${flag}'\n`);
    process.exit(2);
  }
  startServer(port).then(
    (server) => process.stderr.write(`kdsim debug adapter listening on 127.0.0.1:${(server.address() as AddressInfo).port}\n`),
    (e: Error) => {
      process.stderr.write(`kdsim debug adapter: ${e.message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main(process.argv.slice(2));
