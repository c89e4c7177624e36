package io.etcdj.server;

import io.etcdj.server.auth.AuthTokenSpec;
import io.etcdj.server.bootstrap.DiscoveryBootstrap;
import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.bootstrap.SrvBootstrap;
import io.etcdj.server.bootstrap.V3DiscoveryConfig;
import io.etcdj.server.clientport.DebugVarsEndpoint;
import io.etcdj.server.config.BootstrapVerification;
import io.etcdj.server.config.ConfigException;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.failpoint.Failpoints;
import io.etcdj.server.logging.LogbackSetup;
import io.etcdj.server.proxy.ProxyCommandLine;
import io.etcdj.server.proxy.ProxyProcess;
import io.etcdj.server.proxy.gateway.GatewayMain;
import io.etcdj.server.proxy.grpcproxy.GrpcProxyMain;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.server.tls.CipherSuites;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of bin/etcd. Parses and checks the configuration exactly as etcd does (help,
 * version, flag and config errors behave like etcd's), then runs one member until SIGTERM/SIGINT,
 * when it stops cleanly (WAL and backend closed, data dir unlocked). A fatal error in the raft
 * loop or the applier ends the process with status 1, as etcd's panics do.
 */
public final class EtcdMain {
    private static final Logger READY_LOG = LoggerFactory.getLogger(EtcdMain.class);

    private EtcdMain() {}

    public static void main(String[] args) {
        DebugVarsEndpoint.recordCommandLine(args);
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        StartupLog log = StartupLog.zapJson(err, Clock.systemUTC());
        if (ProxyCommandLine.handles(args)) {
            return ProxyCommandLine.run(args, out, err,
                    flags -> GatewayMain.start(flags, log),
                    flags -> GrpcProxyMain.start(flags, log));
        }
        EtcdConfig config;
        boolean initialized;
        try {
            config = EtcdConfigParser.parse(args, env, log);
            initialized = Files.isDirectory(config.dataDir().resolve("member"));
            checkServingOptions(config);
            boolean proxyData = Files.isDirectory(config.dataDir().resolve("proxy"));
            if (initialized && proxyData) {
                log.log(StartupLog.Level.FATAL, "etcdmain/etcd.go:126", "invalid datadir; both member and proxy "
                        + "directories exist", Map.of("data-dir", config.dataDir().toString()));
                return 1;
            }
            if (proxyData) {
                log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:134", "server has been already initialized",
                        Map.of("data-dir", config.dataDir().toString(), "dir-type", "proxy"));
            }
            if (proxyData || (!initialized && !config.proxyMode().equals("off"))) {
                LogbackSetup.apply(config.logSettings());
                return runV2Proxy(config, log);
            }
            if (!initialized && config.discoverySrv().isEmpty()) {
                if (config.isNewCluster()) {
                    BootstrapVerification.verifyNewCluster(config, BootstrapVerification.SYSTEM_RESOLVER);
                } else {
                    BootstrapVerification.verifyJoinExisting(config);
                }
            }
        } catch (ConfigException e) {
            e.report(out, err, log);
            return e.exitCode();
        }
        LogbackSetup.apply(config.logSettings());
        try {
            Failpoints.serveIfAsked(env, err); // test only: GOFAIL_HTTP
        } catch (IOException | RuntimeException e) {
            err.println("etcd: cannot serve failpoints: " + e.getMessage());
            return 1;
        }
        MemberSettings settings;
        try {
            settings = bootstrapSettings(config, initialized, DiscoveryRetry.ETCD, log);
        } catch (DiscoveryException e) {
            if (config.usesV3Discovery()) {
                return DiscoveryFailureReport.reportV3(e, config.discoveryToken(), log);
            }
            if (DiscoveryFailureReport.fallsBackToProxy(e, config.discoveryFallback(), log)) {
                return runV2Proxy(config, log);
            }
            return DiscoveryFailureReport.report(e, config.discovery(), config.discoveryFallback(), log);
        } catch (DiscoveryBootstrap.InvalidDiscoveredCluster e) {
            log.log(StartupLog.Level.FATAL, "etcdmain/etcd.go:204", "discovery failed", Map.of("error", e.getMessage()));
            return 1;
        }
        return runMember(settings, err);
    }

    /**
     * An --auth-token or --cipher-suites the member could not serve with stops start-up before
     * anything is opened, with etcd's words.
     */
    private static void checkServingOptions(EtcdConfig config) throws ConfigException {
        try {
            CipherSuites.check(config.cipherSuites());
            AuthTokenSpec.provider(config.authToken(), config.authTokenTtl());
        } catch (AuthTokenSpec.InvalidAuthToken | IllegalArgumentException e) {
            throw new ConfigException(ConfigException.Kind.BOOTSTRAP, e.getMessage());
        }
    }

    /**
     * The settings a member starts with: those of the flags, except that a member without data
     * started with --discovery first asks the discovery service for its initial cluster (blocking
     * until the service has {@code size} members), likewise one started with etcd 3.6's
     * --discovery-token and --discovery-endpoints, and one started with --discovery-srv takes its
     * initial cluster from DNS SRV records. A member with data ignores them all.
     */
    static MemberSettings bootstrapSettings(EtcdConfig config, boolean initialized, DiscoveryRetry retry,
                                            StartupLog log)
            throws DiscoveryException, DiscoveryBootstrap.InvalidDiscoveredCluster {
        MemberSettings settings = MemberSettings.from(config);
        if (initialized) {
            return settings;
        }
        if (!config.discoverySrv().isEmpty()) {
            return SrvBootstrap.discover(settings, config.discoverySrv(), config.discoverySrvName(),
                    DnsLookup.configured(), log);
        }
        if (!config.discovery().isEmpty()) {
            return DiscoveryBootstrap.discover(settings, config.discovery(), config.discoveryProxy(), retry, log);
        }
        if (config.usesV3Discovery()) {
            return DiscoveryBootstrap.discoverV3(settings, V3DiscoveryConfig.from(config), retry, log);
        }
        return settings;
    }

    /** Runs etcd's v2 proxy until SIGTERM/SIGINT; a proxy that cannot start ends with status 1. */
    private static int runV2Proxy(EtcdConfig config, StartupLog log) {
        V2Proxy proxy;
        try {
            proxy = V2Proxy.start(config, DiscoveryRetry.ETCD, log);
        } catch (V2Proxy.StartFailure e) {
            log.log(StartupLog.Level.FATAL, "etcdmain/etcd.go:271", "discovery failed",
                    Map.of("error", String.valueOf(e.getMessage())));
            return 1;
        }
        try {
            if (SystemdNotifier.notifyFromEnvironment("READY=1")) {
                READY_LOG.info("notified systemd that etcd is ready to serve client requests");
            }
        } catch (IOException e) {
            READY_LOG.warn("failed to notify systemd for readiness: {}", e.getMessage());
        }
        StopSignals.install();
        return ProxyProcess.runUntilStopped(proxy);
    }

    private static int runMember(MemberSettings settings, PrintStream err) {
        EtcdMember member;
        try {
            member = EtcdMember.open(settings, t -> {
                err.println("etcd: fatal: " + t);
                Runtime.getRuntime().halt(1);
            }, () -> new Thread(() -> System.exit(0), "removed").start()); // the shutdown hook closes it
        } catch (IOException | RuntimeException e) {
            err.println("etcd: cannot start: " + e.getMessage());
            return 1;
        }
        try {
            member.start();
        } catch (IOException | RuntimeException e) {
            err.println("etcd: cannot start: " + e.getMessage());
            member.close();
            return 1;
        }
        member.ready().thenRun(() -> {
            try {
                if (SystemdNotifier.notifyFromEnvironment("READY=1")) {
                    READY_LOG.info("notified systemd that etcd is ready to serve client requests");
                }
            } catch (IOException e) {
                READY_LOG.warn("failed to notify systemd for readiness: {}", e.getMessage());
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            member.close();
            stopped.countDown();
        }, "shutdown"));
        StopSignals.install();
        try {
            stopped.await(); // until the shutdown hook has closed the member
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
