package io.etcdj.server;

import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.config.StartupLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What bin/etcd prints and returns when joining through --discovery failed, in etcd's words:
 * the advice for a reused token, a duplicate ID or a duplicate name, and exit status 1. A full
 * cluster with --discovery-fallback=proxy (etcd's default) is no failure: the member becomes a v2
 * proxy instead ({@link #fallsBackToProxy}).
 */
final class DiscoveryFailureReport {
    private DiscoveryFailureReport() {}

    /** Whether etcd would start as a v2 proxy after {@code e}; if so, says so as etcd does. */
    static boolean fallsBackToProxy(DiscoveryException e, String fallback, StartupLog log) {
        if (e.reason() != DiscoveryException.Reason.FULL_CLUSTER || !fallback.equals("proxy")) {
            return false;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("fallback-proxy", "proxy");
        f.put("error", "failed to join discovery cluster (" + e.getMessage() + ")");
        log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:164", "discovery cluster is full, falling back to proxy", f);
        return true;
    }

    static int report(DiscoveryException e, String discoveryUrl, String fallback, StartupLog log) {
        String error = "failed to join discovery cluster (" + e.getMessage() + ")";
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

    /**
     * etcd 3.6's report of a failed v3 discovery: it has no proxy to fall back to and no
     * duplicate-ID or duplicate-name cases, so every failure (a full cluster included) is "token
     * already used" and exit status 1. (etcd 3.6 fills the discovery-token field with its v2
     * --discovery URL, empty here; ours carries the v3 token, which the log layout redacts.)
     */
    static int reportV3(DiscoveryException e, String token, StartupLog log) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("discovery-token", token);
        f.put("error", "failed to join discovery cluster (" + e.getMessage() + ")");
        warn(log, "etcdmain/etcd.go:160", "failed to bootstrap; discovery token was already used", f);
        warn(log, "etcdmain/etcd.go:165", "do not reuse discovery token; generate a new one to bootstrap a cluster",
                Map.of());
        return 1;
    }

    private static void warn(StartupLog log, String caller, String message, Map<String, Object> fields) {
        log.log(StartupLog.Level.WARN, caller, message, fields);
    }
}
