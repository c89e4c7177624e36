package io.etcdj.etcdctl.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An etcdctl that runs until signalled (elect -l, make-mirror), as a real process: the reference
 * (Debian's etcdctl) or ours (this JVM's classpath), its output collected in files so a test can wait
 * for what it has printed so far. {@link #stop()} sends SIGTERM, as a user's Ctrl-C would, and
 * returns the whole run.
 */
final class BackgroundTool implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final String name;

    private BackgroundTool(Process process, Path stdout, Path stderr, String name) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.name = name;
    }

    static BackgroundTool reference(Path dir, String name, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl"));
        cmd.addAll(List.of(args));
        return start(dir, name, env, cmd);
    }

    static BackgroundTool ours(Path dir, String name, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.etcdj.etcdctl.EtcdctlMain"));
        cmd.addAll(List.of(args));
        return start(dir, name, env, cmd);
    }

    private static BackgroundTool start(Path dir, String name, Map<String, String> env, List<String> cmd)
            throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        pb.environment().putAll(env);
        return new BackgroundTool(pb.start(), out, err, name);
    }

    boolean alive() {
        return process.isAlive();
    }

    String stdoutSoFar() throws IOException {
        return Files.readString(stdout, StandardCharsets.ISO_8859_1);
    }

    /** Waits until what the tool has printed satisfies {@code ready}; fails at the deadline or if it exits. */
    void awaitStdout(String what, Predicate<String> ready, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!ready.test(stdoutSoFar())) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new AssertionError(name + ": " + what + " did not happen within " + limit + " (alive: "
                        + process.isAlive() + ")\n--- stdout\n" + stdoutSoFar() + "--- stderr\n"
                        + Files.readString(stderr, StandardCharsets.ISO_8859_1));
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    /** The whole run once the tool has exited by itself; fails (and kills it) at the deadline. */
    ToolRun awaitExit(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not finish within " + limit + "\n--- stdout\n" + stdoutSoFar());
        }
        return new ToolRun(stdoutSoFar(), Files.readString(stderr, StandardCharsets.ISO_8859_1), process.exitValue());
    }

    /** SIGTERM, then the whole run once it has exited (killed after 20 s). */
    ToolRun stop() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not exit within 20 s of SIGTERM");
        }
        return new ToolRun(stdoutSoFar(), Files.readString(stderr, StandardCharsets.ISO_8859_1), process.exitValue());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
