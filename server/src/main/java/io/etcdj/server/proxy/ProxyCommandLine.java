package io.etcdj.server.proxy;

import io.etcdj.server.proxy.CobraFlags.Kind;
import io.etcdj.server.proxy.CobraFlags.Spec;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code etcd gateway ...} and {@code etcd grpc-proxy ...}: etcd parses these with cobra rather
 * than Go's flag package, so they have cobra's help, usage and error output. A group without
 * {@code start} prints its help and exits 0; a flag error prints "Error: ...", the usage and the
 * error again, and exits 1.
 */
public final class ProxyCommandLine {
    /** What a parsed {@code start} command runs; returns the exit status. */
    public interface Starter {
        int start(CobraFlags flags);
    }

    public static final List<Spec> GATEWAY_FLAGS = List.of(
            new Spec("listen-addr", Kind.STRING, "127.0.0.1:23790", "listen address"),
            new Spec("discovery-srv", Kind.STRING, "", "DNS domain used to bootstrap initial cluster"),
            new Spec("discovery-srv-name", Kind.STRING, "", "service name to query when using DNS discovery"),
            new Spec("insecure-discovery", Kind.BOOL, "", "accept insecure SRV records"),
            new Spec("trusted-ca-file", Kind.STRING, "", "path to the client server TLS CA file for verifying the "
                    + "discovered endpoints when discovery-srv is provided."),
            new Spec("endpoints", Kind.STRINGS, "127.0.0.1:2379", "comma separated etcd cluster endpoints"),
            new Spec("retry-delay", Kind.DURATION, "1m0s", "duration of delay before retrying failed endpoints"));

    public static final List<Spec> GRPC_PROXY_FLAGS = List.of(
            new Spec("listen-addr", Kind.STRING, "127.0.0.1:23790", "listen address"),
            new Spec("discovery-srv", Kind.STRING, "", "domain name to query for SRV records describing cluster endpoints"),
            new Spec("discovery-srv-name", Kind.STRING, "", "service name to query when using DNS discovery"),
            new Spec("metrics-addr", Kind.STRING, "", "listen for endpoint /metrics requests on an additional interface"),
            new Spec("insecure-discovery", Kind.BOOL, "", "accept insecure SRV records"),
            new Spec("endpoints", Kind.STRINGS, "127.0.0.1:2379", "comma separated etcd cluster endpoints"),
            new Spec("advertise-client-url", Kind.STRING, "127.0.0.1:23790",
                    "advertise address to register (must be reachable by client)"),
            new Spec("resolver-prefix", Kind.STRING, "",
                    "prefix to use for registering proxy (must be shared with other grpc-proxy members)"),
            new Spec("resolver-ttl", Kind.INT, "0", "specify TTL, in seconds, when registering proxy endpoints"),
            new Spec("namespace", Kind.STRING, "", "string to prefix to all keys for namespacing requests"),
            new Spec("enable-pprof", Kind.BOOL, "",
                    "Enable runtime profiling data via HTTP server. Address is at client URL + \"/debug/pprof/\""),
            new Spec("data-dir", Kind.STRING, "default.proxy", "Data directory for persistent data"),
            new Spec("max-concurrent-streams", Kind.UINT32, "4294967295",
                    "Maximum concurrent streams that each client can open at a time."),
            new Spec("cert", Kind.STRING, "", "identify secure connections with etcd servers using this TLS certificate file"),
            new Spec("key", Kind.STRING, "", "identify secure connections with etcd servers using this TLS key file"),
            new Spec("cacert", Kind.STRING, "", "verify certificates of TLS-enabled secure etcd servers using this CA bundle"),
            new Spec("insecure-skip-tls-verify", Kind.BOOL, "", "skip authentication of etcd server TLS certificates "
                    + "(CAUTION: this option should be enabled only for testing purposes)"),
            new Spec("cert-file", Kind.STRING, "", "identify secure connections to the proxy using this TLS certificate file"),
            new Spec("key-file", Kind.STRING, "", "identify secure connections to the proxy using this TLS key file"),
            new Spec("trusted-ca-file", Kind.STRING, "", "verify certificates of TLS-enabled secure proxy using this CA bundle"),
            new Spec("listen-cipher-suites", Kind.STRINGS, "", "Comma-separated list of supported TLS cipher suites "
                    + "between client/proxy (empty will be auto-populated by Go)."),
            new Spec("auto-tls", Kind.BOOL, "", "proxy TLS using generated certificates"),
            new Spec("client-crl-file", Kind.STRING, "", "proxy client certificate revocation list file."),
            new Spec("experimental-leasing-prefix", Kind.STRING, "",
                    "leasing metadata prefix for disconnected linearized reads."),
            new Spec("debug", Kind.BOOL, "", "Enable debug-level logging for grpc-proxy."),
            new Spec("max-send-bytes", Kind.INT, "1572864",
                    "message send limits in bytes (default value is 1.5 MiB)"),
            new Spec("max-recv-bytes", Kind.INT, "2147483647",
                    "message receive limits in bytes (default value is math.MaxInt32)"),
            new Spec("experimental-serializable-ordering", Kind.BOOL, "",
                    "Ensure serializable reads have monotonically increasing store revisions across endpoints."));

    private ProxyCommandLine() {}

    /** Whether {@code args} name one of the proxy commands. */
    public static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals("gateway") || args[0].equals("grpc-proxy"));
    }

    /** Runs {@code etcd <gateway|grpc-proxy> ...}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, Starter gateway, Starter grpcProxy) {
        boolean isGateway = args[0].equals("gateway");
        String group = args[0];
        String what = isGateway ? "gateway" : "grpc proxy";
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int start = rest.indexOf("start");
        if (start < 0 || rest.subList(0, start).stream().anyMatch(a -> a.startsWith("-"))) {
            return groupHelp(group, what, rest, out, err);
        }
        CobraFlags flags = new CobraFlags("etcd " + group + " start", isGateway ? GATEWAY_FLAGS : GRPC_PROXY_FLAGS);
        try {
            flags.parse(rest.subList(start + 1, rest.size()));
        } catch (CobraFlags.UsageException e) {
            return usageError(e.getMessage(), flags.usage(), err);
        }
        if (flags.helpRequested()) {
            out.print("start the " + what + "\n\n" + flags.usage());
            out.flush();
            return 0;
        }
        return (isGateway ? gateway : grpcProxy).start(flags);
    }

    /** cobra's answer to a bad command line: the error, the usage, the error again (no newline); status 1. */
    private static int usageError(String message, String usage, PrintStream err) {
        err.print("Error: " + message + "\n" + usage + "\n" + message);
        err.flush();
        return 1;
    }

    private static int groupHelp(String group, String what, List<String> rest, PrintStream out, PrintStream err) {
        String usage = "Usage:\n  etcd " + group + " [command]\n\nAvailable Commands:\n  start       start the " + what
                + "\n\nFlags:\n  -h, --help   help for " + group + "\n\nUse \"etcd " + group
                + " [command] --help\" for more information about a command.\n";
        for (String a : rest) {
            if (a.startsWith("-") && !a.equals("-h") && !a.equals("--help")) {
                String name = a.startsWith("--") ? a.substring(2).split("=", 2)[0] : null;
                String msg = name != null ? "unknown flag: --" + name
                        : "unknown shorthand flag: '" + a.charAt(1) + "' in " + a;
                return usageError(msg, usage, err);
            }
        }
        out.print(group + " related command\n\n" + usage);
        out.flush();
        return 0;
    }
}
