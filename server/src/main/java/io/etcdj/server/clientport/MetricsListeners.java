package io.etcdj.server.clientport;

import io.etcdj.server.v2.http.NettyV2HttpServer;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.etcdj.server.tls.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The listeners of --listen-metrics-urls: plain HTTP servers that answer only GET /metrics and
 * /health (the same answers as the client port), so a monitoring system can scrape a member
 * without reaching its client port. Anything else is Go's "404 page not found".
 * An https URL serves with the client port's TLS settings (--cert-file/--key-file or --auto-tls,
 * and --client-cert-auth), as etcd's; without them it is refused at start.
 */
public final class MetricsListeners implements AutoCloseable {
    private final List<String> urls;
    private final V2HttpHandler router;
    private final List<NettyV2HttpServer> servers = new ArrayList<>();
    /** The client port's TLS settings; null when it has none. */
    private final TlsMaterial tls;

    public MetricsListeners(List<String> urls, V2HttpHandler metrics, V2HttpHandler health, TlsMaterial tls) {
        this.tls = tls;
        this.urls = List.copyOf(urls);
        this.router = (V2HttpExchange ex) -> {
            switch (ex.path()) {
                case "/metrics" -> metrics.handle(ex);
                case "/health" -> health.handle(ex);
                default -> ex.respond(V2HttpResponse.plainError(404, "404 page not found"));
            }
        };
    }

    /** Binds every URL; on failure, closes those already bound. */
    public void start() throws IOException {
        try {
            for (String url : urls) {
                URI u = URI.create(url);
                NettyV2HttpServer server = new NettyV2HttpServer(router, tlsFor(u));
                servers.add(server);
                server.start(u.getHost(), u.getPort());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding " + urls, e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Null for an http URL; for https, the client port's TLS. */
    private TlsMaterial tlsFor(URI url) throws IOException {
        if ("http".equals(url.getScheme())) {
            return null;
        }
        if (!"https".equals(url.getScheme())) {
            throw new IOException("--listen-metrics-urls: unsupported scheme in " + url);
        }
        if (tls == null) {
            throw new IOException("--listen-metrics-urls: " + url + " needs client TLS (--cert-file and --key-file, "
                    + "or --auto-tls)");
        }
        return tls;
    }

    @Override
    public void close() {
        servers.forEach(NettyV2HttpServer::close);
        servers.clear();
    }
}
