/**
 * The raw limit for fan-out: Socket.IO with nothing in front or behind. Every connection is
 * accepted; POST /broadcast emits the posted envelope as `ticket.created` to all. Run as its own
 * process by bench/fanout.ts with PORT.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/broadcast') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    io.emit('ticket.created', JSON.parse(Buffer.concat(chunks).toString()));
    response.writeHead(204).end();
  });
});
// Same heartbeat as the app's socket server, so both carry the same background traffic.
const io = new Server(server, { pingInterval: 10000, pingTimeout: 5000, serveClient: false });

server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare socket server ready'));

process.on('SIGTERM', () => {
  io.disconnectSockets(true);
  io.close(() => process.exit(0));
});
