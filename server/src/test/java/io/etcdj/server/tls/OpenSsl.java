package io.etcdj.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the openssl command line as an operator would: to make keys, certificates and CRLs for tests,
 * and as a TLS client ({@code s_client}) where the JDK's cannot show what a test needs.
 */
public final class OpenSsl {
    private OpenSsl() {}

    /** Runs {@code openssl args...} in {@code dir}; fails with its output unless it exits 0 within 60 s. */
    public static void run(Path dir, String... args) throws IOException, InterruptedException {
        Process p = start(dir, args);
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    /**
     * One {@code openssl s_client -connect hostPort args...} connection that sends {@code request}
     * and reads until the server closes: everything it printed ("New, TLSv1.3, ..." or "Reused, ...",
     * then the server's answer, if any). Bounded: the server must close within 20 s.
     */
    public static String sClient(Path dir, String hostPort, String request, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("s_client", "-connect", hostPort, "-ign_eof"));
        all.addAll(List.of(args));
        Process p = start(dir, all.toArray(String[]::new));
        p.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl s_client to " + hostPort + " still connected after 20 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }
}
