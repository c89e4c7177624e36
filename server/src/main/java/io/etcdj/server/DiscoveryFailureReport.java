package io.etcdj.server;

import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.config.StartupLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What bin/etcd prints and returns when joining through --discovery failed, in etcd's words:
 * the advice for a reused token, a duplicate ID or a duplicate name, and exit status 1. A full
 * cluster with --discovery-fallback=proxy would make etcd a v2 proxy; etcdj has no v2 proxy
 * yet, so it says so and exits with status 2 (the status of a feature not landed).
 */
final class DiscoveryFailureReport {
    /** Exit status for a feature this build does not have. */
    static final int NOT_AVAILABLE = 2;

    private DiscoveryFailureReport() {}

    static int report(DiscoveryException e, String discoveryUrl, String fallback, StartupLog log) {
        String error = "failed to join discovery cluster (" + e.getMessage() + ")";
        if (e.reason() == DiscoveryException.Reason.FULL_CLUSTER && fallback.equals("proxy")) {
            log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:173", "discovery cluster is full, falling back",
                    Map.of("fallback-proxy", "proxy"));
            log.log(StartupLog.Level.ERROR, "etcdmain/etcd.go:173",
                    "the v2 proxy is not implemented in etcdj; cannot fall back to proxy "
                            + "(use --discovery-fallback=exit, or a new discovery token)",
                    Map.of("error", error));
            return NOT_AVAILABLE;
        }
        if (e.reason() != DiscoveryException.Reason.FULL_CLUSTER) {
            log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:176", "failed to start etcd", Map.of("error", error));
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("discovery-token", discoveryUrl);
        f.put("error", error);
        switch (e.reason()) {
            case DUPLICATE_ID -> {
                warn(log, "etcdmain/etcd.go:215", "member has been registered with discovery service", f);
                warn(log, "etcdmain/etcd.go:219", "but could not find valid cluster configuration", Map.of());
                warn(log, "etcdmain/etcd.go:220", "check data dir if previous bootstrap succeeded", Map.of());
                warn(log, "etcdmain/etcd.go:221", "or use a new discovery token if previous bootstrap failed", Map.of());
            }
            case DUPLICATE_NAME -> {
                warn(log, "etcdmain/etcd.go:224", "member with duplicated name has already been registered", f);
                warn(log, "etcdmain/etcd.go:229", "cURL the discovery token URL for details", Map.of());
                warn(log, "etcdmain/etcd.go:230", "do not reuse discovery token; generate a new one to bootstrap a cluster",
                        Map.of());
            }
            default -> {
                warn(log, "etcdmain/etcd.go:226", "failed to bootstrap; discovery token was already used", f);
                warn(log, "etcdmain/etcd.go:231", "do not reuse discovery token; generate a new one to bootstrap a cluster",
                        Map.of());
            }
        }
        return 1;
    }

    private static void warn(StartupLog log, String caller, String message, Map<String, Object> fields) {
        log.log(StartupLog.Level.WARN, caller, message, fields);
    }
}
