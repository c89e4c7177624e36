package io.etcdj.server.config;

import static io.etcdj.server.config.EtcdFlags.*;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * etcd's {@code embed.Config.Validate}, check by check in etcd's order and with its error texts.
 * Checks that need the data directory or the network (bootstrap membership) are in
 * {@link BootstrapVerification}.
 */
final class ConfigValidation {
    private static final long MAX_ELECTION_MS = 50000;
    private static final long MAX_SAMPLING_RATE_PER_MILLION = 1_000_000;
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "dpanic", "panic",
            "fatal");

    private ConfigValidation() {}

    /** etcd 3.6's checks of the v3 discovery flags, in its order and words. */
    private static void checkV3Discovery(ConfigValues v) throws ConfigException {
        boolean v3Flags = !v.get(DISCOVERY_ENDPOINTS).isEmpty() || !v.get(DISCOVERY_TOKEN).isEmpty()
                || !v.get(DISCOVERY_CERT).isEmpty() || !v.get(DISCOVERY_KEY).isEmpty()
                || !v.get(DISCOVERY_CACERT).isEmpty() || !v.get(DISCOVERY_USER).isEmpty()
                || !v.get(DISCOVERY_PASSWORD).isEmpty();
        if (!v.get(DISCOVERY_PROXY).isEmpty() && v3Flags) {
            throw invalid("both v2 discovery settings (discovery, discovery-proxy) and v3 discovery settings "
                    + "(discovery-token, discovery-endpoints, discovery-cert, discovery-key, discovery-cacert, "
                    + "discovery-user, discovery-password) are set");
        }
        if (v.get(DISCOVERY_TOKEN).isEmpty() != v.get(DISCOVERY_ENDPOINTS).isEmpty()) {
            throw invalid("both --discovery-token and --discovery-endpoints must be set");
        }
        for (String endpoint : v.get(DISCOVERY_ENDPOINTS)) {
            if (endpoint.isBlank()) {
                throw invalid("--discovery-endpoints must not contain empty endpoints");
            }
        }
    }

    static void validate(ConfigValues v, StartupLog log) throws ConfigException {
        checkLogging(v);
        checkBindUrls(v.get(LISTEN_PEER_URLS));
        checkBindUrls(v.get(LISTEN_CLIENT_URLS));
        checkBindUrls(v.get(LISTEN_CLIENT_HTTP_URLS));
        if (v.get(LISTEN_CLIENT_HTTP_URLS).isEmpty()) {
            log.log(StartupLog.Level.WARN, "embed/config.go:689",
                    "Running http and grpc server on single port. This is not recommended for production.", Map.of());
        }
        checkBindUrls(v.get(LISTEN_METRICS_URLS));
        checkHostUrls("--initial-advertise-peer-urls", v.get(INITIAL_ADVERTISE_PEER_URLS));
        checkHostUrls("--advertise-client-urls", v.get(ADVERTISE_CLIENT_URLS));

        boolean v3Discovery = !v.get(DISCOVERY_ENDPOINTS).isEmpty();
        int bootstrapSources = 0;
        for (boolean set : new boolean[] {!v.get(DISCOVERY).isEmpty(), !v.get(INITIAL_CLUSTER).isEmpty(),
                !v.get(DISCOVERY_SRV).isEmpty(), v3Discovery}) {
            bootstrapSources += set ? 1 : 0;
        }
        String state = v.get(INITIAL_CLUSTER_STATE);
        if (!state.equals("new") && !state.equals("existing")) {
            throw invalid("unexpected clusterState \"" + state + "\"");
        }
        if (bootstrapSources > 1) {
            // 3.5's text, or 3.6's when one of the sources is 3.6's v3 discovery
            throw invalid("multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", "
                    + (v3Discovery ? "\"discovery\", \"discovery-endpoints\" or \"discovery-srv\""
                            : "\"discovery\" or \"discovery-srv\""));
        }
        checkV3Discovery(v);

        long tick = v.get(HEARTBEAT_INTERVAL);
        long election = v.get(ELECTION_TIMEOUT);
        if (tick == 0) {
            throw invalid("--heartbeat-interval must be >0 (set to " + tick + "ms)");
        }
        if (election == 0) {
            throw invalid("--election-timeout must be >0 (set to " + election + "ms)");
        }
        if (Long.compareUnsigned(5 * tick, election) > 0) {
            throw invalid("--election-timeout[" + Long.toUnsignedString(election)
                    + "ms] should be at least as 5 times as --heartbeat-interval["
                    + Long.toUnsignedString(tick) + "ms]");
        }
        if (Long.compareUnsigned(election, MAX_ELECTION_MS) > 0) {
            throw invalid("--election-timeout[" + Long.toUnsignedString(election)
                    + "ms] is too long, and should be set less than " + MAX_ELECTION_MS + "ms");
        }

        if (!v.get(LISTEN_CLIENT_URLS).isEmpty() && v.get(ADVERTISE_CLIENT_URLS).isEmpty()) {
            throw invalid(ConfigException.UNSET_ADVERTISE_CLIENT_URLS);
        }

        String mode = v.get(AUTO_COMPACTION_MODE);
        if (!mode.isEmpty() && !mode.equals("periodic") && !mode.equals("revision")) {
            throw invalid("unknown auto-compaction-mode \"" + mode + "\"");
        }

        boolean checkpoint = v.get(EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT);
        boolean persist = v.get(EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT_PERSIST);
        if (!persist && checkpoint) {
            log.log(StartupLog.Level.WARN, "embed/config.go:744", "Detected that checkpointing is enabled without "
                    + "persistence. Consider enabling experimental-enable-lease-checkpoint-persist", Map.of());
        }
        if (persist && !checkpoint) {
            throw invalid("setting experimental-enable-lease-checkpoint-persist requires "
                    + "experimental-enable-lease-checkpoint");
        }
        Duration hashCheck = v.get(EXPERIMENTAL_COMPACT_HASH_CHECK_TIME);
        if (hashCheck.isNegative() || hashCheck.isZero()) {
            throw invalid("--experimental-compact-hash-check-time must be >0 (set to "
                    + GoDuration.format(hashCheck) + ")");
        }

        int min = tlsVersion(v.get(TLS_MIN_VERSION));
        int max = tlsVersion(v.get(TLS_MAX_VERSION));
        if (max != 0 && min > max) {
            throw invalid("min version (" + v.get(TLS_MIN_VERSION) + ") is greater than max version ("
                    + v.get(TLS_MAX_VERSION) + ")");
        }
        if (min == 13 && !v.get(CIPHER_SUITES).isEmpty()) {
            throw invalid("cipher suites cannot be configured when only TLS1.3 is enabled");
        }

        if (v.get(EXPERIMENTAL_ENABLE_DISTRIBUTED_TRACING)) {
            long rate = v.get(EXPERIMENTAL_DISTRIBUTED_TRACING_SAMPLING_RATE);
            if (rate < 0) {
                throw invalid("distributed tracing configurition is not valid: "
                        + "(tracing sampling rate must be positive)");
            }
            if (rate > MAX_SAMPLING_RATE_PER_MILLION) {
                throw invalid("distributed tracing configurition is not valid: "
                        + "(tracing sampling rate must be less than " + MAX_SAMPLING_RATE_PER_MILLION + ")");
            }
        }

        try {
            AutoCompaction.retention(mode, v.get(AUTO_COMPACTION_RETENTION));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** The logger settings etcd's setupLogging refuses. */
    private static void checkLogging(ConfigValues v) throws ConfigException {
        String logger = v.get(LOGGER);
        if (logger.equals("capnslog")) {
            throw invalid("--logger=capnslog is removed in v3.5");
        }
        if (!logger.equals("zap")) {
            throw invalid("unknown logger option \"" + logger + "\"");
        }
        SortedSet<String> outputs = v.get(LOG_OUTPUTS);
        if (outputs.size() > 1 && outputs.contains("default")) {
            throw invalid("multi logoutput for \"default\" is not supported yet");
        }
        if (v.get(ENABLE_LOG_ROTATION)) {
            if (outputs.size() != 1 || Set.of("default", "stderr", "stdout").contains(outputs.first())) {
                throw invalid("--log-outputs requires a single file path when --log-rotate-config-json is defined");
            }
        }
        if (outputs.contains("systemd/journal") && outputs.size() > 1) {
            throw invalid("running with systemd/journal but other '--log-outputs' values ("
                    + goQuotedList(List.copyOf(outputs)) + ") are configured with 'default'; "
                    + "override 'default' value with something else");
        }
        if (!LOG_LEVELS.contains(v.get(LOG_LEVEL).toLowerCase(Locale.ROOT))) {
            throw invalid("unrecognized level: \"" + v.get(LOG_LEVEL) + "\"");
        }
        if (!v.get(LOG_FORMAT).equals("json") && !v.get(LOG_FORMAT).equals("console")) {
            throw invalid("unsupported log format: " + v.get(LOG_FORMAT));
        }
    }

    /** Listen URLs must name an IP address (or localhost), not a host name. */
    private static void checkBindUrls(List<URI> urls) throws ConfigException {
        for (URI u : urls) {
            GoUrl g = EtcdUrls.view(u);
            if (g.scheme().equals("unix") || g.scheme().equals("unixs")) {
                continue;
            }
            String[] hp = GoUrl.splitHostPort(g.host());
            if (hp == null) {
                throw invalid("address " + g.host() + ": missing port in address");
            }
            if (hp[0].equals("localhost")) {
                continue;
            }
            if (!IpLiteral.isIp(hp[0])) {
                throw invalid("expected IP in URL for binding (" + u + ")");
            }
        }
    }

    private static void checkHostUrls(String flag, List<URI> urls) throws ConfigException {
        for (URI u : urls) {
            GoUrl g = EtcdUrls.view(u);
            String[] hp = GoUrl.splitHostPort(g.host());
            String why = hp == null ? "address " + g.host() + ": missing port in address"
                    : hp[0].isEmpty() ? "unexpected empty host (" + u + ")" : null;
            if (why != null) {
                throw invalid(flag + " \"" + EtcdUrls.join(urls) + "\" must be \"host:port\" (" + why + ")");
            }
        }
    }

    /** 0 for "" (runtime default), 12 for TLS1.2, 13 for TLS1.3. */
    static int tlsVersion(String text) throws ConfigException {
        return switch (text) {
            case "" -> 0;
            case "TLS1.2" -> 12;
            case "TLS1.3" -> 13;
            default -> throw invalid("unexpected TLS version \"" + text + "\" (must be one of: TLS1.2, TLS1.3)");
        };
    }

    private static String goQuotedList(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String s : values) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append('"').append(s).append('"');
        }
        return b.append(']').toString();
    }

    private static ConfigException invalid(String message) {
        return new ConfigException(Kind.INVALID, message);
    }
}
