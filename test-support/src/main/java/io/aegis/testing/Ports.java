package io.aegis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports, so suites never collide with each other or a running stack. */
public final class Ports {

    /** The lowest port {@link #freeToReuse()} gives: above the well-known services a machine may run (PostgreSQL, Redis, Kafka, …). */
    private static final int REUSABLE_FROM = 20_000;

    public static int free() {
        return free(1).getFirst();
    }

    /**
     * {@code count} different free ports. They are held open together while chosen: asked for one
     * at a time, the system may hand out the same port twice once the first is let go.
     */
    public static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }

    /**
     * A free loopback port below the system's ephemeral range, for a listener that closes and must
     * later bind the same port again (a relay cut and restored). A port of that range, once let go,
     * may become the local port of any outgoing connection on the machine, as happens in a parallel
     * build; one below it is only ever taken by a process that binds it on purpose.
     */
    public static int freeToReuse() {
        int high = ephemeralRangeStart();
        for (int tries = 0; tries < 200; tries++) {
            int port = ThreadLocalRandom.current().nextInt(REUSABLE_FROM, high);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("No free port between " + REUSABLE_FROM + " and " + high);
    }

    /** The first port of Linux's ephemeral range (net.ipv4.ip_local_port_range), 32768 where it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > REUSABLE_FROM + 1000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** Whether something takes connections on {@code host:port} (within 200 ms). */
    public static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Ports() {
    }
}
