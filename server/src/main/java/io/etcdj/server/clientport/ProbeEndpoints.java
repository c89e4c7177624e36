package io.etcdj.server.clientport;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * etcd 3.5.11+'s Kubernetes-style probes: /livez (the member can read its own store) and /readyz
 * (it can also read linearizably, i.e. it has a leader and is caught up). Success is "ok"; with
 * {@code ?verbose} every check is listed as "[+]name ok"; a failed check turns the answer into
 * 503 with "[-]name failed: reason withheld". {@code /livez/<check>} runs one check;
 * {@code ?exclude=<check>} skips one.
 */
public final class ProbeEndpoints {
    private final Map<String, Supplier<String>> livez = new LinkedHashMap<>();
    private final Map<String, Supplier<String>> readyz = new LinkedHashMap<>();

    /** @param health answers each read check: null when it passed, else why not */
    public ProbeEndpoints(HealthEndpoint health) {
        livez.put("serializable_read", () -> health.readFailure(true));
        readyz.put("data_corruption", () -> health.corrupt() ? "the CORRUPT alarm is raised" : null);
        readyz.put("serializable_read", () -> health.readFailure(true));
        readyz.put("linearizable_read", () -> health.readFailure(false));
    }

    public static boolean serves(String path) {
        return path.equals("/livez") || path.equals("/readyz") || path.startsWith("/livez/") || path.startsWith("/readyz/");
    }

    public void handle(V2HttpExchange ex) {
        String path = ex.path();
        boolean live = path.startsWith("/livez");
        String probe = live ? "livez" : "readyz";
        Map<String, Supplier<String>> checks = live ? livez : readyz;
        String rest = path.substring(probe.length() + 1);
        if (!ex.method().equals("GET")) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
            return;
        }
        if (rest.startsWith("/")) {
            Supplier<String> one = checks.get(rest.substring(1));
            if (one == null) {
                ex.respond(V2HttpResponse.plainError(404, "404 page not found"));
                return;
            }
            String why = one.get();
            ex.respond(why == null ? text(200, "ok")
                    : V2HttpResponse.plainError(503, "internal server error: " + why));
            return;
        }
        boolean verbose = ex.rawQuery().contains("verbose");
        List<String> excluded = new ArrayList<>();
        for (String part : ex.rawQuery().split("&")) {
            if (part.startsWith("exclude=")) {
                excluded.add(part.substring("exclude=".length()));
            }
        }
        StringBuilder body = new StringBuilder();
        boolean failed = false;
        for (Map.Entry<String, Supplier<String>> c : checks.entrySet()) {
            if (excluded.contains(c.getKey())) {
                body.append("[+]").append(c.getKey()).append(" excluded: ok\n");
                continue;
            }
            if (c.getValue().get() == null) {
                body.append("[+]").append(c.getKey()).append(" ok\n");
            } else {
                failed = true;
                body.append("[-]").append(c.getKey()).append(" failed: reason withheld\n");
            }
        }
        if (failed) {
            ex.respond(V2HttpResponse.plainError(503, body + probe + " check failed"));
        } else if (verbose) {
            ex.respond(text(200, body + probe + " check passed\n"));
        } else {
            ex.respond(text(200, "ok"));
        }
    }

    private static V2HttpResponse text(int status, String body) {
        return new V2HttpResponse(status).header("Content-Type", "text/plain; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff").body(body);
    }
}
