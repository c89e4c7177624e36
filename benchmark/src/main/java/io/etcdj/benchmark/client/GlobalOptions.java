package io.etcdj.benchmark.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The flags every benchmark command takes (etcd's persistent flags), accepted before or after the
 * command name. Defaults are etcd's: one endpoint 127.0.0.1:2379, one connection, one client.
 */
public final class GlobalOptions {
    @Option(names = "--endpoints", split = ",", scope = ScopeType.INHERIT, paramLabel = "host:port",
            description = "gRPC endpoints (default: 127.0.0.1:2379)")
    public List<String> endpoints = new ArrayList<>(List.of("127.0.0.1:2379"));

    @Option(names = "--conns", scope = ScopeType.INHERIT, description = "Total number of gRPC connections (default: 1)")
    public int conns = 1;

    @Option(names = "--clients", scope = ScopeType.INHERIT, description = "Total number of gRPC clients (default: 1)")
    public int clients = 1;

    @Option(names = "--precise", scope = ScopeType.INHERIT, description = "use full floating point precision")
    public boolean precise;

    @Option(names = "--sample", scope = ScopeType.INHERIT, description = "'true' to sample requests for every second")
    public boolean sample;

    @Option(names = "--cert", scope = ScopeType.INHERIT, description = "identify HTTPS client using this SSL certificate file")
    public String cert;

    @Option(names = "--key", scope = ScopeType.INHERIT, description = "identify HTTPS client using this SSL key file")
    public String key;

    @Option(names = "--cacert", scope = ScopeType.INHERIT,
            description = "verify certificates of HTTPS-enabled servers using this CA bundle")
    public String cacert;

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT,
            description = "skip server certificate verification")
    public boolean insecureSkipTlsVerify;

    @Option(names = "--user", scope = ScopeType.INHERIT,
            description = "provide username[:password] and prompt if password is not supplied.")
    public String user;

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, converter = GoDurationConverter.class,
            description = "dial timeout for client connections (Go duration, e.g. 2s; 0 = do not wait)")
    public Duration dialTimeout = Duration.ZERO;

    @Option(names = "--target-leader", scope = ScopeType.INHERIT, description = "connect only to the leader node")
    public boolean targetLeader;

    @Option(names = {"--output", "-w"}, scope = ScopeType.INHERIT,
            description = "summary format: text (etcd's layout) or json (one JSON object per summary per line)")
    public String output = "text";

    @Option(names = "--no-progress", scope = ScopeType.INHERIT,
            description = "do not draw the progress bar (otherwise drawn on stderr for runs over one second)")
    public boolean noProgress;

    public boolean json() {
        return output.equals("json");
    }

    public boolean usesTls() {
        if (cacert != null || cert != null || key != null || insecureSkipTlsVerify) {
            return true;
        }
        for (String e : endpoints) {
            if (e.trim().startsWith("https://") || e.trim().startsWith("unixs://")) {
                return true;
            }
        }
        return false;
    }

    /** Checks the values that etcd checks, with etcd-like messages. */
    public void validate() {
        if (conns <= 0) {
            throw new IllegalArgumentException("--conns must be positive, got " + conns);
        }
        if (clients <= 0) {
            throw new IllegalArgumentException("--clients must be positive, got " + clients);
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("--endpoints must not be empty");
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new IllegalArgumentException("unknown --output " + output + " (text or json)");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key must be given together");
        }
    }
}
