package io.aegis.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's heap as {@code jcmd} tells it, for a service that exports no metrics of its own. */
final class JvmHeap {

    /**
     * A generation's line of {@code GC.heap_info} (or G1's one line for its heap), not indented, unlike the
     * lines of its spaces: {@code ParOldGen  total 44032K, used 1818K […]}; Metaspace says "used" with no comma.
     */
    private static final Pattern USED = Pattern.compile("(?m)^\\S[^\\n]*?, used (\\d+)K");

    /** The heap still in use once a full collection ran ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes. */
    static OptionalDouble liveAfterFullGc(long pid) {
        if (pid < 0 || run(pid, "GC.run") == null) {
            return OptionalDouble.empty();
        }
        String info = run(pid, "GC.heap_info");
        return info == null ? OptionalDouble.empty() : used(info);
    }

    /** What the generations of a {@code GC.heap_info} use together, in bytes. */
    static OptionalDouble used(String heapInfo) {
        Matcher used = USED.matcher(heapInfo);
        long kilobytes = 0;
        boolean any = false;
        while (used.find()) {
            kilobytes += Long.parseLong(used.group(1));
            any = true;
        }
        return any ? OptionalDouble.of(kilobytes * 1024.0) : OptionalDouble.empty();
    }

    private static String run(long pid, String command) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JvmHeap() {
    }
}
