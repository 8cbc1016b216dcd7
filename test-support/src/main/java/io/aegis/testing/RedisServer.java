package io.aegis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of a test's own ({@code redis-server} from the machine, on a free port, keeping
 * nothing on disk, with a password of its own as the local stack's Redis has), for tests that take
 * Redis away: {@link #outage(Duration)} stops it and starts it again on the same port, empty, as a
 * restarted Redis without persistence comes back. Its configuration, password included, is given
 * on standard input, never on a command line.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path log;
    private final String password = HexFormat.of().formatHex(randomBytes(24));
    private Process process;

    private RedisServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    public static RedisServer start() {
        try {
            RedisServer server = new RedisServer(Ports.free(), Files.createTempFile("aegis-redis-", ".log"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL clients connect with, the password in it. */
    public String url() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process, for a benchmark that counts the CPU time of what it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    /** Stops the server, waits, and starts it again on the same port with nothing in it. */
    public synchronized void outage(Duration down) {
        stop();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        launch();
    }

    private void launch() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "-"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try (var config = process.getOutputStream()) {
                config.write(("port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\nrequirepass " + password + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server could not start (is Redis installed?)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Ports.listening("127.0.0.1", port)) {
                return;
            }
            sleepBriefly();
        }
        throw new IllegalStateException("redis-server did not listen on " + port + "; see " + log);
    }

    private void stop() {
        ChildProcesses.stop(process);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
