package io.aegis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on a free loopback port to a server, that a test can {@linkplain #cut() cut} and
 * {@linkplain #restore() restore}: a dependency going away and coming back (PostgreSQL restarting,
 * a network partition) for one service alone, without stopping the server, which other suites and
 * the machine share. Cut, it closes every connection it relays and listens no more (it returns once
 * the port is let go), so a new connection is refused as a stopped server refuses it; restored, it
 * listens on the same port again and relays as before. Each connection is two blocking copies on
 * virtual threads.
 */
public final class TcpRelay implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong relayed = new AtomicLong();
    private ServerSocket listening;
    private Thread accepting;

    private TcpRelay(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /**
     * A relay to {@code host:port}, listening on a free loopback port outside the ephemeral range,
     * so that nothing else takes it while the relay is cut.
     */
    public static TcpRelay to(String host, int port) {
        TcpRelay relay = new TcpRelay(new InetSocketAddress(host, port), Ports.freeToReuse());
        relay.restore();
        return relay;
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** How many connections it has relayed so far: proof a client went through it. */
    public long relayed() {
        return relayed.get();
    }

    /** Whether it listens (not cut). */
    public synchronized boolean passing() {
        return listening != null;
    }

    /** Closes every relayed connection and stops listening: new connections are refused. Cutting twice is harmless. */
    public synchronized void cut() {
        if (listening != null) {
            close(listening);
            listening = null;
            // a socket closed while a thread waits in accept is let go only when that thread leaves
            awaitEnd(accepting);
            accepting = null;
        }
        open.forEach(TcpRelay::close);
        open.clear();
    }

    private static void awaitEnd(Thread thread) {
        try {
            if (!thread.join(Duration.ofSeconds(5))) {
                throw new IllegalStateException("The relay's listener did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Listens on the same port again. Restoring a relay that passes is harmless. */
    public synchronized void restore() {
        if (listening != null) {
            return;
        }
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listening = server;
            accepting = Thread.ofVirtual().name("tcp-relay-" + port).start(() -> accept(server));
        } catch (IOException e) {
            throw new UncheckedIOException("The relay cannot listen on port " + port + " again", e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;   // cut
            }
            Thread.ofVirtual().start(() -> relay(server, client));
        }
    }

    private void relay(ServerSocket server, Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            close(client);
            close(upstream);
            return;
        }
        synchronized (this) {
            if (listening != server) {
                // cut while this connection was being made: it goes the way of the others
                close(client);
                close(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        relayed.incrementAndGet();
        Thread.ofVirtual().start(() -> copy(client, upstream));
        copy(upstream, client);
    }

    /** Copies one direction until it ends; then the connection is over both ways. */
    private void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // cut, or one side went away: the connection ends either way
        } finally {
            close(from);
            close(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void close(AutoCloseable socket) {
        try {
            socket.close();
        } catch (Exception ignored) {
            // closed is closed
        }
    }
}
