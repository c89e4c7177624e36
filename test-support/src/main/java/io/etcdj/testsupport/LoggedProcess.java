package io.etcdj.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A child process a test started, its stdout and stderr appended to one log file. Guarantees:
 * <ul>
 *   <li>{@link #await} fails at once, with the log, when the process exits before the condition
 *       holds, and with the log when the deadline passes;
 *   <li>{@link #close()} ends the process and every descendant it has (SIGTERM, then SIGKILL to
 *       whatever still runs after {@value #GRACE_SECONDS} s) and returns only when they are gone.
 * </ul>
 */
public final class LoggedProcess implements AutoCloseable {
    private static final long GRACE_SECONDS = 10;

    private final Process process;
    private final List<String> command;
    private final Path log;

    private LoggedProcess(Process process, List<String> command, Path log) {
        this.process = process;
        this.command = command;
        this.log = log;
    }

    /** Starts {@code command}, its output appended to {@code log}. */
    public static LoggedProcess start(List<String> command, Path log) throws IOException {
        return start(new ProcessBuilder(command), log);
    }

    /** Starts what {@code builder} describes (its environment, directory), its output appended to {@code log}. */
    public static LoggedProcess start(ProcessBuilder builder, Path log) throws IOException {
        Process p = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new LoggedProcess(p, List.copyOf(builder.command()), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return log;
    }

    /** What the process has written so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    /**
     * Returns once {@code condition} holds; fails when the process exits first or after
     * {@code timeout}, with the process's output in the message.
     */
    public void await(Duration timeout, String what, BooleanSupplier condition) {
        try {
            Await.until(timeout, what, () -> {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(command.get(0) + " exited with " + process.exitValue()
                            + " before " + what + "; its output:\n" + log());
                }
                return false;
            });
        } catch (AssertionError e) {
            if (!e.getMessage().startsWith("timed out")) {
                throw e;
            }
            throw new AssertionError(e.getMessage() + "; output of " + command.get(0) + ":\n" + log());
        }
    }

    /** Ends the process and its descendants (see the class comment); a stopped process stays stopped. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add); // before the parent goes: orphans are no one's descendants
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        try {
            for (ProcessHandle h : tree) {
                long left = Math.max(0, deadline - System.nanoTime());
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillRunning) {
                    h.destroyForcibly();
                    h.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
                }
            }
            process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not end " + command.get(0) + " (pid " + process.pid() + ")", e);
        }
    }
}
