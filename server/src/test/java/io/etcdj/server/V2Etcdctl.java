package io.etcdj.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: {@code ETCDCTL_API=2 etcdctl --no-sync --endpoints URL ...} with Debian's etcdctl
 * (ours, bin/etcdctl, is not built yet when the server module's tests run). {@code --no-sync} keeps etcdctl on the given endpoint instead of switching to the
 * members it learns from /v2/members, so every request really goes through that endpoint.
 */
record V2Etcdctl(String binary) {
    record Result(int exitCode, String out) {}

    static V2Etcdctl debian() {
        String p = Executables.findOnPath("etcdctl");
        if (p == null) {
            throw new AssertionError("Debian's etcdctl must be installed (apt-get install etcd-client)");
        }
        return new V2Etcdctl(p);
    }

    /** Runs one command to its end (at most 30 s); stdout and stderr together. */
    Result run(String endpoint, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--no-sync", "--endpoints", endpoint));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "2");
        try {
            Path out = Files.createTempFile("etcdctl2", ".out");
            try {
                Process p = pb.redirectOutput(out.toFile()).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A command that must succeed; returns its output. */
    String ok(String endpoint, String... args) {
        Result r = run(endpoint, args);
        if (r.exitCode() != 0) {
            throw new AssertionError(binary + " " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.out());
        }
        return r.out();
    }
}
