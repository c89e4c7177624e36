package io.etcdj.server.config;

import static io.etcdj.server.config.Flag.Section.AUTH;
import static io.etcdj.server.config.Flag.Section.CLUSTERING;
import static io.etcdj.server.config.Flag.Section.EXPERIMENTAL;
import static io.etcdj.server.config.Flag.Section.HIDDEN;
import static io.etcdj.server.config.Flag.Section.LOGGING;
import static io.etcdj.server.config.Flag.Section.MEMBER;
import static io.etcdj.server.config.Flag.Section.PROFILING;
import static io.etcdj.server.config.Flag.Section.PROXY;
import static io.etcdj.server.config.Flag.Section.SECURITY;
import static io.etcdj.server.config.Flag.Section.TRACING;
import static io.etcdj.server.config.Flag.Section.UNSAFE;
import static io.etcdj.server.config.FlagTypes.BOOL;
import static io.etcdj.server.config.FlagTypes.DURATION;
import static io.etcdj.server.config.FlagTypes.INT;
import static io.etcdj.server.config.FlagTypes.INT64;
import static io.etcdj.server.config.FlagTypes.STRING;
import static io.etcdj.server.config.FlagTypes.STRINGS;
import static io.etcdj.server.config.FlagTypes.UINT;
import static io.etcdj.server.config.FlagTypes.UINT64;
import static io.etcdj.server.config.FlagTypes.URLS;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every flag etcd 3.5.17 accepts, with etcd's defaults and config-file keys, in the order of
 * etcd's help text. This file is long because it is the one list; each entry is one flag.
 * (3.5 has no --log-format, no --warning-unary-request-duration and no --max-learners: those
 * arrived in 3.6; the first two are accepted anyway, hidden from the help text.)
 */
public final class EtcdFlags {
    private EtcdFlags() {}

    private static final List<Flag<?>> ALL = new ArrayList<>();

    private static <T> Flag<T> add(Flag<T> flag) {
        ALL.add(flag);
        return flag;
    }

    private static List<URI> urls(String text) {
        return text.isEmpty() ? List.of() : EtcdUrls.parseUniqueList(text);
    }

    /** A flag etcd 3.6 added: accepted on the command line, as ETCD_* and in YAML; hidden from the 3.5 help. */
    private static <T> Flag<T> v36(String name, FlagType<T> type, T defaultValue, String usage, String yamlPath) {
        return new Flag<>(name, HIDDEN, type, defaultValue, null, usage, yamlPath, true);
    }

    private static SortedSet<String> set(String... values) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(values)));
    }

    // ---------------------------------------------------------------- Member
    public static final Flag<String> NAME = add(Flag.of("name", MEMBER, STRING, "default",
            "Human-readable name of this member; its key in --initial-cluster."));
    public static final Flag<String> DATA_DIR = add(Flag.of("data-dir", MEMBER, STRING, "",
            "Directory for this member's data (member/wal, member/snap).").shownDefault("${name}.etcd"));
    public static final Flag<String> WAL_DIR = add(Flag.of("wal-dir", MEMBER, STRING, "",
            "Separate directory for the write-ahead log, if any."));
    public static final Flag<Long> SNAPSHOT_COUNT = add(Flag.of("snapshot-count", MEMBER, UINT64, 100000L,
            "Committed entries between two snapshots to disk."));
    public static final Flag<Long> HEARTBEAT_INTERVAL = add(Flag.of("heartbeat-interval", MEMBER, UINT, 100L,
            "Leader heartbeat period, in milliseconds (one raft tick)."));
    public static final Flag<Long> ELECTION_TIMEOUT = add(Flag.of("election-timeout", MEMBER, UINT, 1000L,
            "Follower wait before starting an election, in milliseconds; at least 5 heartbeats."));
    public static final Flag<Boolean> INITIAL_ELECTION_TICK_ADVANCE = add(Flag.of(
            "initial-election-tick-advance", MEMBER, BOOL, true,
            "Fast-forward election ticks at boot so a lost leader is replaced sooner."));
    public static final Flag<List<URI>> LISTEN_PEER_URLS = add(Flag.of("listen-peer-urls", MEMBER, URLS,
            urls("http://localhost:2380"), "URLs to accept peer (raft) traffic on."));
    public static final Flag<List<URI>> LISTEN_CLIENT_URLS = add(Flag.of("listen-client-urls", MEMBER, URLS,
            urls("http://localhost:2379"),
            "URLs to accept client gRPC traffic on (and HTTP unless --listen-client-http-urls is set)."));
    public static final Flag<List<URI>> LISTEN_CLIENT_HTTP_URLS = add(Flag.of("listen-client-http-urls", MEMBER,
            URLS, List.of(), "URLs for HTTP-only client traffic; moves HTTP off --listen-client-urls."));
    public static final Flag<Long> MAX_SNAPSHOTS = add(Flag.of("max-snapshots", MEMBER, UINT, 5L,
            "Snapshot files to keep (0: keep all)."));
    public static final Flag<Long> MAX_WALS = add(Flag.of("max-wals", MEMBER, UINT, 5L,
            "WAL files to keep (0: keep all)."));
    public static final Flag<Long> QUOTA_BACKEND_BYTES = add(Flag.of("quota-backend-bytes", MEMBER, INT64, 0L,
            "Backend size that raises the NOSPACE alarm (0: the 2 GiB default)."));
    public static final Flag<String> BACKEND_BBOLT_FREELIST_TYPE = add(Flag.of("backend-bbolt-freelist-type",
            MEMBER, STRING, "", "Backend freelist kind: array or map.").shownDefault("map"));
    public static final Flag<Duration> BACKEND_BATCH_INTERVAL = add(Flag.of("backend-batch-interval", MEMBER,
            DURATION, Duration.ZERO, "Longest time a backend write batch stays open.").shownDefault(""));
    public static final Flag<Long> BACKEND_BATCH_LIMIT = add(Flag.of("backend-batch-limit", MEMBER, INT, 0L,
            "Most operations in one backend write batch."));
    public static final Flag<Long> MAX_TXN_OPS = add(Flag.of("max-txn-ops", MEMBER, UINT, 128L,
            "Most operations allowed in one transaction."));
    public static final Flag<Long> MAX_REQUEST_BYTES = add(Flag.of("max-request-bytes", MEMBER, UINT, 1572864L,
            "Largest client request accepted, in bytes."));
    public static final Flag<Long> MAX_CONCURRENT_STREAMS = add(Flag.of("max-concurrent-streams", MEMBER,
            FlagTypes.UINT32, 4294967295L, "Concurrent gRPC streams per client connection.")
            .shownDefault("math.MaxUint32"));
    public static final Flag<Boolean> ENABLE_GRPC_GATEWAY = add(Flag.of("enable-grpc-gateway", MEMBER, BOOL, true,
            "Serve the JSON gateway (/v3/...) on the client URLs."));
    public static final Flag<Duration> GRPC_KEEPALIVE_MIN_TIME = add(Flag.of("grpc-keepalive-min-time", MEMBER,
            DURATION, Duration.ofSeconds(5), "Shortest ping interval a client may use."));
    public static final Flag<Duration> GRPC_KEEPALIVE_INTERVAL = add(Flag.of("grpc-keepalive-interval", MEMBER,
            DURATION, Duration.ofHours(2), "Server-to-client ping period (0: off)."));
    public static final Flag<Duration> GRPC_KEEPALIVE_TIMEOUT = add(Flag.of("grpc-keepalive-timeout", MEMBER,
            DURATION, Duration.ofSeconds(20), "Wait for a ping reply before closing the connection (0: off)."));
    public static final Flag<Boolean> SOCKET_REUSE_PORT = add(Flag.of("socket-reuse-port", MEMBER, BOOL, false,
            "Set SO_REUSEPORT on listeners.").yaml("socket-options.reuse-port"));
    public static final Flag<Boolean> SOCKET_REUSE_ADDRESS = add(Flag.of("socket-reuse-address", MEMBER, BOOL,
            false, "Set SO_REUSEADDR on listeners.").yaml("socket-options.reuse-address"));
    public static final Flag<Duration> RAFT_READ_TIMEOUT = add(Flag.of("raft-read-timeout", MEMBER, DURATION,
            Duration.ofSeconds(5), "Read timeout of peer connections (at least 5s).").yaml(null));
    public static final Flag<Duration> RAFT_WRITE_TIMEOUT = add(Flag.of("raft-write-timeout", MEMBER, DURATION,
            Duration.ofSeconds(5), "Write timeout of peer connections (at least 5s).").yaml(null));

    // ---------------------------------------------------------------- Clustering
    public static final Flag<List<URI>> INITIAL_ADVERTISE_PEER_URLS = add(Flag.of("initial-advertise-peer-urls",
            CLUSTERING, URLS, urls("http://localhost:2380"), "This member's peer URLs as the cluster sees them."));
    public static final Flag<String> INITIAL_CLUSTER = add(Flag.of("initial-cluster", CLUSTERING, STRING,
            "default=http://localhost:2380", "Bootstrap membership: name=peerURL,name=peerURL,..."));
    public static final Flag<String> INITIAL_CLUSTER_STATE = add(Flag.of("initial-cluster-state", CLUSTERING,
            FlagTypes.choice("new", "existing"), "new",
            "'new' to bootstrap a cluster, 'existing' to join one; ignored once the data dir exists."));
    public static final Flag<String> INITIAL_CLUSTER_TOKEN = add(Flag.of("initial-cluster-token", CLUSTERING,
            STRING, "etcd-cluster", "Token hashed into member and cluster IDs at bootstrap; unique per cluster."));
    public static final Flag<List<URI>> ADVERTISE_CLIENT_URLS = add(Flag.of("advertise-client-urls", CLUSTERING,
            URLS, urls("http://localhost:2379"), "This member's client URLs as clients should reach them."));
    public static final Flag<String> DISCOVERY = add(Flag.of("discovery", CLUSTERING, STRING, "",
            "Discovery service URL to bootstrap the cluster with."));
    public static final Flag<String> DISCOVERY_FALLBACK = add(Flag.of("discovery-fallback", CLUSTERING,
            FlagTypes.choice("proxy", "exit"), "proxy", "What to do when discovery fails: 'exit' or 'proxy'."));
    public static final Flag<String> DISCOVERY_PROXY = add(Flag.of("discovery-proxy", CLUSTERING, STRING, "",
            "HTTP proxy for talking to the discovery service."));
    public static final Flag<String> DISCOVERY_SRV = add(Flag.of("discovery-srv", CLUSTERING, STRING, "",
            "DNS domain whose SRV records list the initial cluster."));
    public static final Flag<String> DISCOVERY_SRV_NAME = add(Flag.of("discovery-srv-name", CLUSTERING, STRING, "",
            "Suffix of the SRV service names looked up."));
    /*
     * etcd 3.6's v3 discovery (a token's registry on any etcd reached over gRPC). Hidden from the
     * 3.5 help text like the other 3.6 flags; in a config file they sit under discovery-config as
     * 3.6's DiscoveryConfig lays them out (token, and client.{endpoints, dial-timeout, ...,
     * secure.*, auth.*}).
     */
    public static final Flag<String> DISCOVERY_TOKEN = add(v36("discovery-token", STRING, "",
            "v3 discovery: the token whose registry assembles the new cluster.", "discovery-config.token"));
    public static final Flag<SortedSet<String>> DISCOVERY_ENDPOINTS = add(v36("discovery-endpoints",
            FlagTypes.UNIQUE_STRINGS, set(), "v3 discovery: comma-separated gRPC endpoints of the cluster holding the registry.",
            "discovery-config.client.endpoints"));
    public static final Flag<Duration> DISCOVERY_DIAL_TIMEOUT = add(v36("discovery-dial-timeout", DURATION,
            Duration.ofSeconds(2), "v3 discovery: connection timeout.",
            "discovery-config.client.dial-timeout"));
    public static final Flag<Duration> DISCOVERY_REQUEST_TIMEOUT = add(v36("discovery-request-timeout", DURATION,
            Duration.ofSeconds(5), "v3 discovery: bound on each request (the dial not included).",
            "discovery-config.client.request-timeout"));
    public static final Flag<Duration> DISCOVERY_KEEPALIVE_TIME = add(v36("discovery-keepalive-time", DURATION,
            Duration.ofSeconds(2), "v3 discovery: idle time before a keepalive ping.",
            "discovery-config.client.keepalive-time"));
    public static final Flag<Duration> DISCOVERY_KEEPALIVE_TIMEOUT = add(v36("discovery-keepalive-timeout",
            DURATION, Duration.ofSeconds(6), "v3 discovery: wait for a keepalive ping's answer.",
            "discovery-config.client.keepalive-timeout"));
    public static final Flag<Boolean> DISCOVERY_INSECURE_TRANSPORT = add(v36("discovery-insecure-transport", BOOL,
            true, "v3 discovery: plaintext unless an endpoint is https or TLS files are given.",
            "discovery-config.client.secure.insecure-transport"));
    public static final Flag<Boolean> DISCOVERY_INSECURE_SKIP_TLS_VERIFY = add(v36(
            "discovery-insecure-skip-tls-verify", BOOL, false,
            "v3 discovery: accept any server certificate (tests only).",
            "discovery-config.client.secure.insecure-skip-tls-verify"));
    public static final Flag<String> DISCOVERY_CERT = add(v36("discovery-cert", STRING, "",
            "v3 discovery: client TLS certificate.", "discovery-config.client.secure.cert"));
    public static final Flag<String> DISCOVERY_KEY = add(v36("discovery-key", STRING, "",
            "v3 discovery: client TLS key.", "discovery-config.client.secure.key"));
    public static final Flag<String> DISCOVERY_CACERT = add(v36("discovery-cacert", STRING, "",
            "v3 discovery: CA bundle for the registry's server certificates.",
            "discovery-config.client.secure.cacert"));
    public static final Flag<String> DISCOVERY_USER = add(v36("discovery-user", STRING, "",
            "v3 discovery: user to authenticate as.", "discovery-config.client.auth.username"));
    public static final Flag<String> DISCOVERY_PASSWORD = add(v36("discovery-password", STRING, "",
            "v3 discovery: that user's password.", "discovery-config.client.auth.password"));
    public static final Flag<Boolean> STRICT_RECONFIG_CHECK = add(Flag.of("strict-reconfig-check", CLUSTERING,
            BOOL, true, "Refuse membership changes that could lose quorum."));
    public static final Flag<Boolean> PRE_VOTE = add(Flag.of("pre-vote", CLUSTERING, BOOL, true,
            "Run raft's pre-vote phase before elections."));
    public static final Flag<String> AUTO_COMPACTION_RETENTION = add(Flag.of("auto-compaction-retention",
            CLUSTERING, STRING, "0", "History kept by auto compaction (0: off); hours or a duration, or revisions."));
    public static final Flag<String> AUTO_COMPACTION_MODE = add(Flag.of("auto-compaction-mode", CLUSTERING,
            STRING, "periodic", "How to read the retention: 'periodic' (time) or 'revision'."));
    public static final Flag<Boolean> ENABLE_V2 = add(Flag.of("enable-v2", CLUSTERING, BOOL, false,
            "Serve the v2 API (deprecated)."));
    public static final Flag<String> V2_DEPRECATION = add(Flag.of("v2-deprecation", CLUSTERING,
            FlagTypes.choices("not-yet", "write-only", "write-only-drop-data", "gone"), "not-yet",
            "v2store deprecation phase: not-yet, write-only, write-only-drop-data or gone."));

    // ---------------------------------------------------------------- Security
    public static final Flag<String> CERT_FILE = add(Flag.of("cert-file", SECURITY, STRING, "",
            "Client-side server TLS certificate.").yaml("client-transport-security.cert-file"));
    public static final Flag<String> KEY_FILE = add(Flag.of("key-file", SECURITY, STRING, "",
            "Client-side server TLS key.").yaml("client-transport-security.key-file"));
    public static final Flag<Boolean> CLIENT_CERT_AUTH = add(Flag.of("client-cert-auth", SECURITY, BOOL, false,
            "Require and verify client certificates.").yaml("client-transport-security.client-cert-auth"));
    public static final Flag<String> CLIENT_CERT_FILE = add(Flag.of("client-cert-file", SECURITY, STRING, "",
            "Certificate this member presents as a client (default: --cert-file).")
            .yaml("client-transport-security.client-cert-file"));
    public static final Flag<String> CLIENT_KEY_FILE = add(Flag.of("client-key-file", SECURITY, STRING, "",
            "Key this member uses as a client (default: --key-file).")
            .yaml("client-transport-security.client-key-file"));
    public static final Flag<String> CLIENT_CRL_FILE = add(Flag.of("client-crl-file", SECURITY, STRING, "",
            "Revocation list for client certificates.").yaml(null));
    public static final Flag<List<String>> CLIENT_CERT_ALLOWED_HOSTNAME = add(Flag.of(
            "client-cert-allowed-hostname", SECURITY, STRINGS, List.of(),
            "Comma-separated SAN hostnames a client certificate must have.")
            .yaml("client-transport-security.allowed-hostname"));
    public static final Flag<String> TRUSTED_CA_FILE = add(Flag.of("trusted-ca-file", SECURITY, STRING, "",
            "CA bundle for verifying client certificates.").yaml("client-transport-security.trusted-ca-file"));
    public static final Flag<Boolean> AUTO_TLS = add(Flag.of("auto-tls", SECURITY, BOOL, false,
            "Client TLS with self-generated certificates.").yaml("client-transport-security.auto-tls"));
    public static final Flag<String> PEER_CERT_FILE = add(Flag.of("peer-cert-file", SECURITY, STRING, "",
            "Peer TLS certificate.").yaml("peer-transport-security.cert-file"));
    public static final Flag<String> PEER_KEY_FILE = add(Flag.of("peer-key-file", SECURITY, STRING, "",
            "Peer TLS key.").yaml("peer-transport-security.key-file"));
    public static final Flag<Boolean> PEER_CLIENT_CERT_AUTH = add(Flag.of("peer-client-cert-auth", SECURITY,
            BOOL, false, "Require and verify peer certificates.")
            .yaml("peer-transport-security.client-cert-auth"));
    public static final Flag<String> PEER_TRUSTED_CA_FILE = add(Flag.of("peer-trusted-ca-file", SECURITY,
            STRING, "", "CA bundle for verifying peer certificates.")
            .yaml("peer-transport-security.trusted-ca-file"));
    public static final Flag<List<String>> PEER_CERT_ALLOWED_CN = add(Flag.of("peer-cert-allowed-cn", SECURITY,
            STRINGS, List.of(), "Comma-separated CNs a peer certificate may have.")
            .yaml("peer-transport-security.allowed-cn"));
    public static final Flag<List<String>> PEER_CERT_ALLOWED_HOSTNAME = add(Flag.of(
            "peer-cert-allowed-hostname", SECURITY, STRINGS, List.of(),
            "Comma-separated SAN hostnames a peer certificate may have.")
            .yaml("peer-transport-security.allowed-hostname"));
    public static final Flag<Boolean> PEER_AUTO_TLS = add(Flag.of("peer-auto-tls", SECURITY, BOOL, false,
            "Peer TLS with self-generated certificates when no peer cert/key is given.")
            .yaml("peer-transport-security.auto-tls"));
    public static final Flag<String> PEER_CLIENT_CERT_FILE = add(Flag.of("peer-client-cert-file", SECURITY,
            STRING, "", "Certificate presented when dialing peers (default: --peer-cert-file).")
            .yaml("peer-transport-security.client-cert-file"));
    public static final Flag<String> PEER_CLIENT_KEY_FILE = add(Flag.of("peer-client-key-file", SECURITY,
            STRING, "", "Key used when dialing peers (default: --peer-key-file).")
            .yaml("peer-transport-security.client-key-file"));
    public static final Flag<Long> SELF_SIGNED_CERT_VALIDITY = add(Flag.of("self-signed-cert-validity",
            SECURITY, UINT, 1L, "Validity of auto-TLS certificates, in years."));
    public static final Flag<String> PEER_CRL_FILE = add(Flag.of("peer-crl-file", SECURITY, STRING, "",
            "Revocation list for peer certificates.").yaml(null));
    public static final Flag<List<String>> CIPHER_SUITES = add(Flag.of("cipher-suites", SECURITY, STRINGS,
            List.of(), "Comma-separated TLS cipher suites (empty: the runtime's choice)."));
    public static final Flag<SortedSet<String>> CORS = add(Flag.of("cors", SECURITY, FlagTypes.ORIGINS,
            set("*"), "Comma-separated CORS origins ('*' or empty: any)."));
    public static final Flag<SortedSet<String>> HOST_WHITELIST = add(Flag.of("host-whitelist", SECURITY,
            FlagTypes.UNIQUE_STRINGS, set("*"),
            "Comma-separated Host header values accepted on insecure listeners ('*': any)."));
    public static final Flag<String> TLS_MIN_VERSION = add(Flag.of("tls-min-version", SECURITY, STRING,
            "TLS1.2", "Lowest TLS version: TLS1.2 or TLS1.3."));
    public static final Flag<String> TLS_MAX_VERSION = add(Flag.of("tls-max-version", SECURITY, STRING, "",
            "Highest TLS version: TLS1.2 or TLS1.3 (empty: the runtime's highest)."));
    /** File-only: ClientTLSInfo.AllowedCNs ({@code client-transport-security.allowed-cn}). */
    public static final Flag<List<String>> CLIENT_CERT_ALLOWED_CN = add(Flag.of("client-cert-allowed-cn",
            SECURITY, STRINGS, List.<String>of(), "CNs a client certificate may have.")
            .yaml("client-transport-security.allowed-cn").fileOnly());

    // ---------------------------------------------------------------- Auth
    public static final Flag<String> AUTH_TOKEN = add(Flag.of("auth-token", AUTH, STRING, "simple",
            "Auth token kind and options: 'simple' or 'jwt,pub-key=...,priv-key=...,sign-method=...'."));
    public static final Flag<Long> BCRYPT_COST = add(Flag.of("bcrypt-cost", AUTH, UINT, 10L,
            "bcrypt cost for password hashes (4 to 31)."));
    public static final Flag<Long> AUTH_TOKEN_TTL = add(Flag.of("auth-token-ttl", AUTH, UINT, 300L,
            "Lifetime of a simple auth token, in seconds."));

    // ---------------------------------------------------------------- Profiling and monitoring
    public static final Flag<Boolean> ENABLE_PPROF = add(Flag.of("enable-pprof", PROFILING, BOOL, false,
            "Serve runtime profiles under /debug/pprof/ on the client URLs."));
    public static final Flag<String> METRICS = add(Flag.of("metrics", PROFILING, STRING, "basic",
            "Metrics detail: 'basic' or 'extensive' (adds gRPC histograms)."));
    public static final Flag<List<URI>> LISTEN_METRICS_URLS = add(Flag.of("listen-metrics-urls", PROFILING, URLS,
            List.of(), "Extra URLs serving only /metrics and /health."));

    // ---------------------------------------------------------------- Logging
    public static final Flag<String> LOGGER = add(Flag.of("logger", LOGGING, STRING, "zap",
            "Logger; only 'zap' (structured JSON) in 3.5."));
    public static final Flag<SortedSet<String>> LOG_OUTPUTS = add(Flag.of("log-outputs", LOGGING,
            FlagTypes.UNIQUE_STRINGS, set("default"),
            "Comma-separated log targets: default, stderr, stdout, systemd/journal or file paths."));
    public static final Flag<String> LOG_LEVEL = add(Flag.of("log-level", LOGGING, STRING, "info",
            "Log level: debug, info, warn, error, panic or fatal."));
    public static final Flag<Boolean> ENABLE_LOG_ROTATION = add(Flag.of("enable-log-rotation", LOGGING, BOOL,
            false, "Rotate the single file named in --log-outputs."));
    public static final Flag<String> LOG_ROTATION_CONFIG_JSON = add(Flag.of("log-rotation-config-json", LOGGING,
            STRING, "{\"maxsize\": 100, \"maxage\": 0, \"maxbackups\": 0, \"localtime\": false, \"compress\": false}",
            "Rotation settings as JSON: maxsize (MB), maxage (days), maxbackups, localtime, compress."));

    /**
     * etcd 3.6's --log-format (json or console); accepted here, hidden from the 3.5 help text.
     */
    public static final Flag<String> LOG_FORMAT = add(new Flag<>("log-format", HIDDEN, STRING, "json", null,
            "Log format: 'json' or 'console'.", "log-format", true));
    /** etcd 3.6's name of the slow unary request threshold; hidden from the 3.5 help text. */
    public static final Flag<Duration> WARNING_UNARY_REQUEST_DURATION = add(new Flag<>(
            "warning-unary-request-duration", HIDDEN, DURATION, Duration.ofMillis(300), null,
            "Log a warning when a unary request takes longer.", "warning-unary-request-duration", true));
    /** The experimental name of the same threshold; hidden from the 3.5 help text. */
    public static final Flag<Duration> EXPERIMENTAL_WARNING_UNARY_REQUEST_DURATION = add(new Flag<>(
            "experimental-warning-unary-request-duration", HIDDEN, DURATION, Duration.ofMillis(300), null,
            "Log a warning when a unary request takes longer.", "experimental-warning-unary-request-duration", true));

    // ---------------------------------------------------------------- Distributed tracing
    public static final Flag<Boolean> EXPERIMENTAL_ENABLE_DISTRIBUTED_TRACING = add(Flag.of(
            "experimental-enable-distributed-tracing", TRACING, BOOL, false, "Export OpenTelemetry traces."));
    public static final Flag<String> EXPERIMENTAL_DISTRIBUTED_TRACING_ADDRESS = add(Flag.of(
            "experimental-distributed-tracing-address", TRACING, STRING, "localhost:4317",
            "Trace collector address."));
    public static final Flag<String> EXPERIMENTAL_DISTRIBUTED_TRACING_SERVICE_NAME = add(Flag.of(
            "experimental-distributed-tracing-service-name", TRACING, STRING, "etcd",
            "Service name in traces; the same on every member."));
    public static final Flag<String> EXPERIMENTAL_DISTRIBUTED_TRACING_INSTANCE_ID = add(Flag.of(
            "experimental-distributed-tracing-instance-id", TRACING, STRING, "",
            "Instance ID in traces; unique per member."));
    public static final Flag<Long> EXPERIMENTAL_DISTRIBUTED_TRACING_SAMPLING_RATE = add(Flag.of(
            "experimental-distributed-tracing-sampling-rate", TRACING, INT, 0L,
            "Spans sampled per million (0: none)."));

    // ---------------------------------------------------------------- v2 proxy
    public static final Flag<String> PROXY_MODE = add(Flag.of("proxy", PROXY,
            FlagTypes.choice("off", "readonly", "on"), "off", "v2 proxy mode: off, readonly or on."));
    public static final Flag<Long> PROXY_FAILURE_WAIT = add(Flag.of("proxy-failure-wait", PROXY, UINT, 5000L,
            "Milliseconds a failed endpoint stays marked failed."));
    public static final Flag<Long> PROXY_REFRESH_INTERVAL = add(Flag.of("proxy-refresh-interval", PROXY, UINT,
            30000L, "Milliseconds between endpoint refreshes."));
    public static final Flag<Long> PROXY_DIAL_TIMEOUT = add(Flag.of("proxy-dial-timeout", PROXY, UINT, 1000L,
            "Dial timeout in milliseconds (0: none)."));
    public static final Flag<Long> PROXY_WRITE_TIMEOUT = add(Flag.of("proxy-write-timeout", PROXY, UINT, 5000L,
            "Write timeout in milliseconds (0: none)."));
    public static final Flag<Long> PROXY_READ_TIMEOUT = add(Flag.of("proxy-read-timeout", PROXY, UINT, 0L,
            "Read timeout in milliseconds (0: none)."));

    // ---------------------------------------------------------------- Experimental
    public static final Flag<Boolean> EXPERIMENTAL_INITIAL_CORRUPT_CHECK = add(Flag.of(
            "experimental-initial-corrupt-check", EXPERIMENTAL, BOOL, false,
            "Compare data with peers before serving."));
    public static final Flag<Duration> EXPERIMENTAL_CORRUPT_CHECK_TIME = add(Flag.of(
            "experimental-corrupt-check-time", EXPERIMENTAL, DURATION, Duration.ZERO,
            "Period of cluster-wide corruption checks (0: off)."));
    public static final Flag<Boolean> EXPERIMENTAL_COMPACT_HASH_CHECK_ENABLED = add(Flag.of(
            "experimental-compact-hash-check-enabled", EXPERIMENTAL, BOOL, false,
            "Leader compares followers' hashes at compaction revisions."));
    public static final Flag<Duration> EXPERIMENTAL_COMPACT_HASH_CHECK_TIME = add(Flag.of(
            "experimental-compact-hash-check-time", EXPERIMENTAL, DURATION, Duration.ofMinutes(1),
            "Period of the compaction hash check."));
    public static final Flag<String> EXPERIMENTAL_ENABLE_V2V3 = add(Flag.of("experimental-enable-v2v3",
            EXPERIMENTAL, STRING, "", "Serve v2 requests from the v3 store under this prefix (deprecated)."));
    public static final Flag<Boolean> EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT = add(Flag.of(
            "experimental-enable-lease-checkpoint", EXPERIMENTAL, BOOL, false,
            "Leader checkpoints remaining lease TTLs to the other members."));
    public static final Flag<Boolean> EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT_PERSIST = add(Flag.of(
            "experimental-enable-lease-checkpoint-persist", EXPERIMENTAL, BOOL, false,
            "Persist checkpointed TTLs (needs --experimental-enable-lease-checkpoint)."));
    public static final Flag<Long> EXPERIMENTAL_COMPACTION_BATCH_LIMIT = add(Flag.of(
            "experimental-compaction-batch-limit", EXPERIMENTAL, INT, 0L,
            "Revisions deleted per compaction batch (0: 1000)."));
    public static final Flag<Duration> EXPERIMENTAL_COMPACTION_SLEEP_INTERVAL = add(Flag.of(
            "experimental-compaction-sleep-interval", EXPERIMENTAL, DURATION, Duration.ZERO,
            "Pause between compaction batches (0: 10ms)."));
    public static final Flag<Boolean> EXPERIMENTAL_PEER_SKIP_CLIENT_SAN_VERIFICATION = add(Flag.of(
            "experimental-peer-skip-client-san-verification", EXPERIMENTAL, BOOL, false,
            "Do not check the SAN of peer client certificates.").yaml(null));
    public static final Flag<Duration> EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL = add(Flag.of(
            "experimental-watch-progress-notify-interval", EXPERIMENTAL, DURATION, Duration.ZERO,
            "Period of watch progress notifications (0: 10m)."));
    public static final Flag<Duration> EXPERIMENTAL_DOWNGRADE_CHECK_TIME = add(Flag.of(
            "experimental-downgrade-check-time", EXPERIMENTAL, DURATION, Duration.ofSeconds(5),
            "Period of downgrade status checks."));
    public static final Flag<Boolean> EXPERIMENTAL_MEMORY_MLOCK = add(Flag.of("experimental-memory-mlock",
            EXPERIMENTAL, BOOL, false, "Keep the backend's pages locked in RAM."));
    public static final Flag<Duration> EXPERIMENTAL_WARNING_APPLY_DURATION = add(Flag.of(
            "experimental-warning-apply-duration", EXPERIMENTAL, DURATION, Duration.ofMillis(100),
            "Log a warning when applying a request takes longer."));
    public static final Flag<Boolean> EXPERIMENTAL_TXN_MODE_WRITE_WITH_SHARED_BUFFER = add(Flag.of(
            "experimental-txn-mode-write-with-shared-buffer", EXPERIMENTAL, BOOL, true,
            "Write transactions read their checks through the shared buffer."));
    public static final Flag<Long> EXPERIMENTAL_BOOTSTRAP_DEFRAG_THRESHOLD_MEGABYTES = add(Flag.of(
            "experimental-bootstrap-defrag-threshold-megabytes", EXPERIMENTAL, UINT, 0L,
            "Defragment at boot when it frees at least this many MB (0: never)."));
    public static final Flag<Boolean> EXPERIMENTAL_STOP_GRPC_SERVICE_ON_DEFRAG = add(Flag.of(
            "experimental-stop-grpc-service-on-defrag", EXPERIMENTAL, BOOL, false,
            "Report NOT_SERVING to health checks while defragmenting."));
    public static final Flag<Long> EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES = add(Flag.of(
            "experimental-snapshot-catchup-entries", EXPERIMENTAL, UINT64, 5000L,
            "Raft entries kept after a snapshot for slow followers to catch up.")
            .yaml("experimental-snapshot-catch-up-entries"));

    // ---------------------------------------------------------------- Unsafe
    public static final Flag<Boolean> FORCE_NEW_CLUSTER = add(Flag.of("force-new-cluster", UNSAFE, BOOL, false,
            "Restart as a one-member cluster, dropping the other members."));
    public static final Flag<Boolean> UNSAFE_NO_FSYNC = add(Flag.of("unsafe-no-fsync", UNSAFE, BOOL, false,
            "Skip fsync; loses data on a crash."));

    // ---------------------------------------------------------------- Hidden
    public static final Flag<String> CONFIG_FILE = add(new Flag<>("config-file", HIDDEN, STRING, "", null,
            "YAML configuration file; when given, other flags and ETCD_* variables are ignored.", null, true));
    public static final Flag<Boolean> VERSION = add(new Flag<>("version", HIDDEN, BOOL, false, null,
            "Print the version and exit.", null, true));

    /** Flags of older etcd versions that 3.5 still accepts (as booleans) and ignores. */
    public static final List<String> IGNORED_NAMES = List.of("cluster-active-size", "cluster-remove-delay",
            "cluster-sync-interval", "config", "force", "max-result-buffer", "max-retry-attempts",
            "peer-heartbeat-interval", "peer-election-timeout", "retry-interval", "snapshot", "v", "vv",
            "test.coverprofile", "test.outputdir");

    static {
        for (String ignored : IGNORED_NAMES) {
            add(new Flag<>(ignored, HIDDEN, FlagTypes.IGNORED, "", null, "ignored", null, true));
        }
    }

    private static final Map<String, Flag<?>> BY_NAME;
    private static final Map<String, Flag<?>> BY_YAML_PATH;

    static {
        Map<String, Flag<?>> byName = new LinkedHashMap<>();
        Map<String, Flag<?>> byYaml = new LinkedHashMap<>();
        for (Flag<?> f : ALL) {
            if (f.commandLine() && byName.put(f.name(), f) != null) {
                throw new IllegalStateException("duplicate flag " + f.name());
            }
            if (f.yamlPath() != null && byYaml.put(f.yamlPath(), f) != null) {
                throw new IllegalStateException("duplicate yaml key " + f.yamlPath());
            }
        }
        BY_NAME = Collections.unmodifiableMap(byName);
        BY_YAML_PATH = Collections.unmodifiableMap(byYaml);
    }

    /** Every setting, in help-text order (file-only and hidden ones included). */
    public static List<Flag<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The command-line flag of that name (without dashes). */
    public static Optional<Flag<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Command-line flags by name, in help-text order. */
    public static Map<String, Flag<?>> commandLine() {
        return BY_NAME;
    }

    /** Settings by YAML key path ("name", "client-transport-security.cert-file"). */
    public static Map<String, Flag<?>> byYamlPath() {
        return BY_YAML_PATH;
    }

    /** etcd's flags.FlagToEnv: "ETCD_" + name upper-cased with '-' turned into '_'. */
    public static String envName(String flagName) {
        return "ETCD_" + flagName.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
