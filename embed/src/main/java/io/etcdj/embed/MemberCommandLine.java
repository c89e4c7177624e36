package io.etcdj.embed;

import io.etcdj.server.MemberSettings;
import io.etcdj.server.auth.AuthTokenSpec;
import io.etcdj.server.config.BootstrapVerification;
import io.etcdj.server.config.ConfigException;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.tls.CipherSuites;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line bin/etcd would be given for one embedded member: the flags that place it
 * (name, data dir, its loopback URLs, the initial cluster) followed by the flags the user chose,
 * parsed and checked by the server's own parser, so a key means exactly what the flag means and a
 * bad value fails with etcd's words. The environment of the host process is not read: ETCD_*
 * variables meant for some other etcd do not leak into an embedded one.
 */
final class MemberCommandLine {
    /** Flags the cluster sets for each member, and flags that make no sense for an in-process member. */
    static final Set<String> RESERVED = Set.of("name", "data-dir", "wal-dir", "listen-client-urls",
            "advertise-client-urls", "listen-peer-urls", "initial-advertise-peer-urls", "initial-cluster",
            "initial-cluster-state", "listen-metrics-urls", "config-file", "discovery", "discovery-srv",
            "discovery-srv-name", "discovery-proxy", "discovery-fallback", "discovery-token", "discovery-endpoints",
            "proxy", "version", "help");

    /**
     * Flags that say where and how lines are written: an embedded member logs through the host
     * application's SLF4J, whose configuration decides that. (--log-level is applied, see
     * {@link EmbeddedLogLevel}; --logger accepts only zap, etcd 3.5's one logger.)
     */
    static final Set<String> HOST_LOGGING = Set.of("log-outputs", "log-format", "enable-log-rotation",
            "log-rotation-config-json");

    private static final Logger log = LoggerFactory.getLogger(MemberCommandLine.class);

    private MemberCommandLine() {}

    /** A flag key as the user may write it ("heartbeat-interval" or "--heartbeat-interval"), checked. */
    static String key(String flag) {
        String key = flag.startsWith("--") ? flag.substring(2) : flag.startsWith("-") ? flag.substring(1) : flag;
        if (key.isEmpty() || key.contains("=")) {
            throw new IllegalArgumentException("not a flag name: '" + flag + "'");
        }
        if (RESERVED.contains(key)) {
            throw new IllegalArgumentException("--" + key + " is chosen by the embedded cluster for each member");
        }
        if (HOST_LOGGING.contains(key)) {
            throw new IllegalArgumentException("--" + key + " is not for an embedded member: it logs through the host "
                    + "application's SLF4J, whose configuration decides where and how lines are written "
                    + "(--log-level is applied to the " + EmbeddedLogLevel.LOGGER + " loggers)");
        }
        return key;
    }

    /** "https" when the user's flags give the client port (or, with {@code peer}, the peer port) TLS. */
    static String scheme(Map<String, String> flags, boolean peer) {
        String prefix = peer ? "peer-" : "";
        boolean tls = flags.containsKey(prefix + "cert-file") || isTrue(flags.get(prefix + "auto-tls"));
        return tls ? "https" : "http";
    }

    private static boolean isTrue(String value) {
        return value != null && (value.isEmpty() || Set.of("1", "t", "true").contains(value.toLowerCase(Locale.ROOT)));
    }

    /** The full argument list of member {@code name} in a cluster whose peers are {@code peers}. */
    static List<String> arguments(String name, Path dataDir, URI client, URI peer, Map<String, URI> peers,
                                  Map<String, String> flags) {
        List<String> args = new ArrayList<>();
        args.add("--name=" + name);
        args.add("--data-dir=" + dataDir);
        args.add("--listen-client-urls=" + client);
        args.add("--advertise-client-urls=" + client);
        args.add("--listen-peer-urls=" + peer);
        args.add("--initial-advertise-peer-urls=" + peer);
        StringBuilder cluster = new StringBuilder();
        peers.forEach((n, u) -> cluster.append(cluster.length() == 0 ? "" : ",").append(n).append('=').append(u));
        args.add("--initial-cluster=" + cluster);
        args.add("--initial-cluster-state=new");
        flags.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args;
    }

    /**
     * The settings the member starts with, as bin/etcd would derive them from {@code args}.
     *
     * @throws IllegalArgumentException with etcd's message when etcd would refuse to start
     */
    static MemberSettings settings(List<String> args) {
        try {
            EtcdConfig config = EtcdConfigParser.parse(args.toArray(String[]::new), Map.of(), MemberCommandLine::log);
            if (!Files.isDirectory(config.dataDir().resolve("member"))) {
                BootstrapVerification.verifyNewCluster(config, BootstrapVerification.SYSTEM_RESOLVER);
            }
            CipherSuites.check(config.cipherSuites());
            AuthTokenSpec.provider(config.authToken(), config.authTokenTtl());
            return MemberSettings.from(config);
        } catch (ConfigException | AuthTokenSpec.InvalidAuthToken e) {
            throw new IllegalArgumentException("etcd would not start with " + args + ": " + e.getMessage(), e);
        }
    }

    /** What the parser notices (deprecated flags, defaults applied) goes to the host's SLF4J log. */
    private static void log(StartupLog.Level level, String caller, String message, Map<String, Object> fields) {
        String line = fields.isEmpty() ? message : message + " " + new LinkedHashMap<>(fields);
        switch (level) {
            case DEBUG -> log.debug(line);
            case INFO -> log.info(line);
            case WARN -> log.warn(line);
            default -> log.error(line);
        }
    }
}
