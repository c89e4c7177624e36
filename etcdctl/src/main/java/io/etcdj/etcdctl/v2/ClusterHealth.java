package io.etcdj.etcdctl.v2;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * cluster-health: lists the members (without syncing), asks each member's client URLs for /health
 * until one answers, and sums up: healthy (exit 0), degraded or unavailable (exit 5).
 * With --forever it repeats every 10 seconds until interrupted.
 */
final class ClusterHealth {
    private ClusterHealth() {}

    static void run(V2Context c) throws InterruptedException {
        List<MembersApi.Member> members;
        try {
            members = new MembersApi(c.transport(false), null).list();
        } catch (ClusterError | ServerError e) {
            c.out().print("cluster may be unhealthy: failed to list members\n");
            throw c.fail(V2Exit.SERVER_ERROR, e);
        } catch (IOException e) {
            c.out().print("cluster may be unhealthy: failed to list members\n");
            throw c.fail(V2Exit.SERVER_ERROR, e.getMessage());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        while (true) {
            int healthy = 0;
            StringBuilder b = new StringBuilder();
            for (MembersApi.Member m : members) {
                if (m.clientURLs().isEmpty()) {
                    b.append("member ").append(m.id()).append(" is unreachable: no available published client urls\n");
                    continue;
                }
                boolean checked = false;
                for (String url : m.clientURLs()) {
                    String health;
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        Object h = ((Map<?, ?>) Json.parse(r.body())).get("health");
                        health = h instanceof String s ? s : "";
                    } catch (ConnectException e) {
                        b.append("failed to check the health of member ").append(m.id()).append(" on ").append(url)
                                .append(": Get \"").append(url).append("/health\": dial tcp ")
                                .append(V2Transport.hostPort(url)).append(": connect: connection refused\n");
                        continue;
                    } catch (Exception e) {
                        b.append("failed to check the health of member ").append(m.id()).append(" on ").append(url)
                                .append(": ").append(e.getMessage()).append('\n');
                        continue;
                    }
                    checked = true;
                    if (health.equals("true")) {
                        healthy++;
                        b.append("member ").append(m.id()).append(" is healthy: got healthy result from ").append(url)
                                .append('\n');
                    } else {
                        b.append("member ").append(m.id()).append(" is unhealthy: got unhealthy result from ")
                                .append(url).append('\n');
                    }
                    break;
                }
                if (!checked) {
                    b.append("member ").append(m.id()).append(" is unreachable: [")
                            .append(String.join(" ", m.clientURLs())).append("] are all unreachable\n");
                }
            }
            b.append(healthy == members.size() ? "cluster is healthy\n"
                    : healthy == 0 ? "cluster is unavailable\n" : "cluster is degraded\n");
            c.out().print(b);
            c.out().flush();
            if (!c.local.bool("forever")) {
                throw new V2Exit(healthy == members.size() ? V2Exit.SUCCESS : V2Exit.CLUSTER_NOT_HEALTHY);
            }
            c.out().print("\nnext check after 10 second...\n\n");
            c.out().flush();
            Thread.sleep(10_000);
        }
    }
}
