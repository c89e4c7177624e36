package io.etcdj.server.clientport;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.etcdj.server.v2.http.V2HttpHandler;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GET /health as etcd 3.5 answers it: {@code {"health":"true","reason":""}} with 200, or
 * {@code "false"} with a reason and 503. Healthy means: no alarm is raised (bar those named by
 * {@code ?exclude=}), a leader is known (unless
 * {@code ?serializable=true}) and a one-key range read — linearizable unless serializable —
 * succeeds within a second.
 */
public final class HealthEndpoint implements V2HttpHandler {
    private static final long READ_TIMEOUT_MS = 1000;

    private final EtcdServer server;

    public HealthEndpoint(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void handle(V2HttpExchange ex) {
        if (!ex.method().equals("GET")) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
            return;
        }
        boolean serializable = QueryFlags.isTrue(ex.rawQuery(), "serializable");
        String reason = unhealthyReason(serializable, QueryFlags.values(ex.rawQuery(), "exclude"));
        String body = "{\"health\":\"" + (reason == null) + "\",\"reason\":\"" + (reason == null ? "" : jsonEscape(reason)) + "\"}";
        // healthy: the JSON as written (type sniffed); unhealthy: Go's http.Error with it, in etcd 3.4 and 3.5 alike
        ex.respond(reason == null ? new V2HttpResponse(200).body(body).sniffedText()
                : V2HttpResponse.plainError(503, body));
    }

    /**
     * Null when healthy. Raised alarms come first (etcd 3.5: "ALARM NOSPACE"), unless
     * {@code excludedAlarms} names them ({@code ?exclude=NOSPACE}).
     */
    String unhealthyReason(boolean serializable, Set<String> excludedAlarms) {
        for (String alarm : raisedAlarms()) {
            if (!excludedAlarms.contains(alarm)) {
                return "ALARM " + alarm;
            }
        }
        return readFailure(serializable);
    }

    /** Whether the cluster has raised the CORRUPT alarm. */
    boolean corrupt() {
        return raisedAlarms().contains("CORRUPT");
    }

    /** Null when a read of the given kind succeeds within a second; else why it did not. */
    String readFailure(boolean serializable) {
        if (!serializable && server.raftStatus().leader() == 0) {
            return "RAFT NO LEADER";
        }
        RangeRequest probe = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health"))
                .setKeysOnly(true).setLimit(1).setSerializable(serializable).build();
        try {
            server.range(probe).get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "RANGE ERROR:context deadline exceeded";
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "RANGE ERROR:" + (cause instanceof EtcdException ee ? ee.getMessage() : EtcdError.TIMEOUT.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "RANGE ERROR:context canceled";
        }
    }

    /** The alarms raised in the cluster, as this member has applied them (NOSPACE, CORRUPT). */
    private List<String> raisedAlarms() {
        try {
            List<String> alarms = new ArrayList<>();
            for (String e : server.status(StatusRequest.getDefaultInstance())
                    .get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS).getErrorsList()) {
                int at = e.indexOf("alarm:");
                if (at >= 0) {
                    alarms.add(e.substring(at + "alarm:".length()).trim());
                }
            }
            return alarms;
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
