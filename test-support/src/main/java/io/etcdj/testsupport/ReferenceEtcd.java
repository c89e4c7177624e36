package io.etcdj.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * A one-member etcd as a child process on 127.0.0.1: by default the reference etcd 3.4.23
 * (Debian's {@code /usr/bin/etcd}; {@code $ETCD_BIN} names another), or any launcher given the
 * same flags (our {@code bin/etcd}). Guarantees:
 * <ul>
 *   <li>it runs with {@code --name --data-dir --listen-client-urls --advertise-client-urls
 *       --listen-peer-urls --initial-advertise-peer-urls --initial-cluster} on free ports, then
 *       the caller's extra flags (a repeated flag wins, as etcd's flag parsing lets it);
 *   <li>{@link Builder#start()} returns once it is ready (by default: {@code GET /health} answers
 *       200 with {@code "health":"true"}), polling with a deadline, never a sleep; if it exits or
 *       the deadline passes, the start fails with its output and nothing is left running;
 *   <li>its stdout and stderr go to {@code <dir>/<name>.log}, read by {@link #log()} for failure
 *       messages;
 *   <li>{@link #close()} ends it and its process tree, then deletes the directory if the fixture
 *       made it (a caller's directory or data dir stays).
 * </ul>
 * A missing binary fails the test (never a skip): {@code apt-get install etcd-server}.
 */
public final class ReferenceEtcd implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Builder settings;
    private final List<String> command;
    private final Path dir;
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private LoggedProcess process;

    private ReferenceEtcd(Builder b, Path dir, int clientPort, int peerPort) {
        this.settings = b;
        this.dir = dir;
        this.dataDir = b.dataDir != null ? b.dataDir : dir.resolve("data");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        List<String> cmd = new ArrayList<>(b.launcher);
        List<String> listenClientUrls = new ArrayList<>(List.of(clientUrl()));
        listenClientUrls.addAll(b.moreClientUrls);
        cmd.addAll(List.of("--name", b.name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", String.join(",", listenClientUrls), "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                "--initial-cluster", b.name + "=" + peerUrl()));
        cmd.addAll(b.flags);
        this.command = List.copyOf(cmd);
    }

    /** The reference etcd (name "default", a temporary directory) with {@code extraFlags}, once healthy. */
    public static ReferenceEtcd start(String... extraFlags) throws IOException {
        return builder().flags(extraFlags).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reference etcd binary with another command line than a member's ({@code grpc-proxy start},
     * {@code gateway start}, {@code --proxy on}), its output appended to {@code log}; the caller
     * awaits what it needs ({@link LoggedProcess#await}) and closes it.
     */
    public static LoggedProcess run(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString()));
        cmd.addAll(args);
        return LoggedProcess.start(cmd, log);
    }

    /** The reference etcd binary: {@code $ETCD_BIN}, or Debian's /usr/bin/etcd, or /usr/local/bin/etcd. */
    public static Path binary() {
        String explicit = System.getenv("ETCD_BIN");
        if (explicit != null && !explicit.isEmpty() && Files.isExecutable(Path.of(explicit))) {
            return Path.of(explicit);
        }
        return tool("etcd");
    }

    /** The reference etcdctl 3.4.23 binary: Debian's /usr/bin/etcdctl, or /usr/local/bin/etcdctl. */
    public static Path etcdctl() {
        return tool("etcdctl");
    }

    private static Path tool(String name) {
        for (String d : List.of("/usr/bin", "/usr/local/bin")) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.toPath();
            }
        }
        throw new AssertionError("the reference " + name + " 3.4 is required (apt-get install etcd-server etcd-client)");
    }

    /** How a member is started; {@link #start()} starts it. */
    public static final class Builder {
        private List<String> launcher;
        private String name = "default";
        private Path dir;
        private Path dataDir;
        private String clientScheme = "http";
        private final List<String> flags = new ArrayList<>();
        private final List<String> moreClientUrls = new ArrayList<>();
        private IntSupplier ports = FreePorts::onLoopback;
        private Predicate<ReferenceEtcd> ready = ReferenceEtcd::isHealthy;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Runs {@code launcher} (e.g. our bin/etcd, or java -cp ... EtcdMain) instead of the reference. */
        public Builder launcher(String... launcher) {
            this.launcher = List.of(launcher);
            return this;
        }

        /** The member's --name (default "default"). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Where its log (and, by default, its data dir "data") go; default: a temporary directory {@link #close()} deletes. */
        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        /** Its --data-dir, which {@link #close()} leaves in place. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The scheme of its client URLs ("https" with --cert-file/--key-file flags; then give {@link #readyWhen}). */
        public Builder clientScheme(String scheme) {
            this.clientScheme = scheme;
            return this;
        }

        /**
         * Also listens for clients on {@code urls} (e.g. an https one, with the TLS flags among
         * {@link #flags}); only the first client URL is advertised and probed for readiness.
         */
        public Builder moreClientUrls(List<String> urls) {
            moreClientUrls.addAll(urls);
            return this;
        }

        /** Flags after the member flags (e.g. "--enable-v2"). */
        public Builder flags(String... extra) {
            flags.addAll(List.of(extra));
            return this;
        }

        /** Where its two ports come from (default: {@link FreePorts#onLoopback()}). */
        public Builder ports(IntSupplier ports) {
            this.ports = ports;
            return this;
        }

        /** When it counts as started (default: {@link ReferenceEtcd#isHealthy()}); polled until it holds. */
        public Builder readyWhen(Predicate<ReferenceEtcd> ready) {
            this.ready = ready;
            return this;
        }

        /** How long it may take to become ready (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Starts the member and returns once it is ready. */
        public ReferenceEtcd start() throws IOException {
            if (launcher == null) {
                launcher = List.of(binary().toString()); // fails before anything is made when there is none
            }
            Path d = dir == null ? Files.createTempDirectory("etcdj-reference-etcd") : Files.createDirectories(dir);
            ReferenceEtcd etcd = new ReferenceEtcd(this, d, ports.getAsInt(), ports.getAsInt());
            try {
                etcd.launch(false);
            } catch (IOException | RuntimeException | Error e) {
                etcd.close();
                throw e;
            }
            return etcd;
        }
    }

    private void launch(boolean again) throws IOException {
        process = LoggedProcess.start(command, logFile());
        process.await(settings.timeout, settings.name + (again ? " ready again" : " ready"),
                () -> settings.ready.test(this));
    }

    public int clientPort() {
        return clientPort;
    }

    public int peerPort() {
        return peerPort;
    }

    /** {@code 127.0.0.1:<client port>}, as etcdctl's --endpoints takes it. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public String clientUrl() {
        return settings.clientScheme + "://" + endpoint();
    }

    public String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The command line it runs (launcher and flags). */
    public List<String> command() {
        return command;
    }

    public Path logFile() {
        return dir.resolve(settings.name + ".log");
    }

    /** What it has written so far (stdout and stderr). */
    public String log() {
        return process.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code GET /health} on the (http) client URL answers 200 with {@code "health":"true"} now. */
    public boolean isHealthy() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("true");
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the process (SIGTERM first: it closes its WAL and backend); its files stay until {@link #close()}. */
    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Stops it and starts the same command line again (same ports and data dir, the log goes on), once ready. */
    public void restart() throws IOException {
        stop();
        launch(true);
    }

    @Override
    public void close() {
        stop();
        if (settings.dir == null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a temporary directory left behind fails no test
            }
        }
    }
}
