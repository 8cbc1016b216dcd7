package io.aegis.stack;

import io.aegis.stack.ServiceEnvironment.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** PostgreSQL's own clients ({@code psql}, {@code pgbench}) against a stack's database, its password by environment. */
public final class Psql {

    private Psql() {
    }

    /** {@code psql} with {@code args} (such as {@code -c SQL} or {@code -f FILE}), stopping at the first error; its output. */
    public static String run(Database database, String... args) {
        List<String> command = new ArrayList<>(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1"));
        command.addAll(connection(database, "-d"));
        command.addAll(List.of(args));
        return exec(database, command);
    }

    /** {@code pgbench} against the database with {@code args}; its output, reports and errors together. */
    public static String pgbench(Database database, String... args) {
        List<String> command = new ArrayList<>(List.of("pgbench", "-n"));
        command.addAll(connection(database, null));
        command.addAll(List.of(args));
        command.add(database.name());
        return exec(database, command);
    }

    /**
     * Drops what a stack left in the database: the services' schemas (each service creates and
     * migrates its own again as it starts), and whatever {@code sql} adds.
     */
    public static void empty(Database database, String sql) {
        try {
            run(database, "-c", "DROP SCHEMA IF EXISTS jobs CASCADE; DROP SCHEMA IF EXISTS artifacts CASCADE; " + sql);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Cannot empty the database " + database.name()
                    + " (./aegis creates it with the role " + database.user() + "): " + e.getMessage(), e);
        }
    }

    private static List<String> connection(Database database, String databaseFlag) {
        List<String> args = new ArrayList<>(List.of("-h", database.host(), "-p", Integer.toString(database.port()),
                "-U", database.user()));
        if (databaseFlag != null) {
            args.addAll(List.of(databaseFlag, database.name()));
        }
        return args;
    }

    private static String exec(Database database, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", database.password());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command.getFirst() + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(command.getFirst() + " could not run (is PostgreSQL's client installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
