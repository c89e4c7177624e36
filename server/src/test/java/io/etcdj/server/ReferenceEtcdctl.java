package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's etcdctl 3.4.23 (the reference client) as a process, v3 API, for scenario tests: one-shot
 * commands with a deadline, and long-running ones (watch, lock holders) whose output is read as it
 * comes.
 */
final class ReferenceEtcdctl {
    /** One finished command. */
    record Result(int exitCode, String out, String err) {}

    private final String binary;

    private ReferenceEtcdctl(String binary) {
        this.binary = binary;
    }

    static ReferenceEtcdctl find() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, "etcdctl");
            if (Files.isExecutable(p)) {
                return new ReferenceEtcdctl(p.toString());
            }
        }
        throw new AssertionError("Debian's etcdctl must be installed (apt-get install etcd-client)");
    }

    private ProcessBuilder builder(String endpoint, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--endpoints=" + endpoint, "--command-timeout=10s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        return pb;
    }

    /** Runs one command to its end (at most 30 s). */
    Result run(String endpoint, String... args) {
        return runWithInput(endpoint, "", args);
    }

    Result runWithInput(String endpoint, String stdin, String... args) {
        try {
            Path out = Files.createTempFile("etcdctl", ".out");
            Path err = Files.createTempFile("etcdctl", ".err");
            try {
                Process p = builder(endpoint, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed, and returns its output. */
    String ok(String endpoint, String... args) {
        Result r = run(endpoint, args);
        assertThat(r.exitCode()).as("etcdctl %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    /** A command left running (watch, elect, lock): its output lines are collected as they come. */
    final class Running implements AutoCloseable {
        private final Process process;
        private final StringBuffer out = new StringBuffer();

        Running(String endpoint, String... args) {
            try {
                process = builder(endpoint, args).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        out.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "etcdctl-output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return out.toString();
        }

        /** Waits until the output contains {@code text}. */
        void awaitOutput(String text, Duration timeout) {
            EtcdCluster.awaitCondition(timeout, "etcdctl output containing " + text + " (so far: " + out + ")",
                    () -> out.indexOf(text) >= 0);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    Running start(String endpoint, String... args) {
        return new Running(endpoint, args);
    }
}
