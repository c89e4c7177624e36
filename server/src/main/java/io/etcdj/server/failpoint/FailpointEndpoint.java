package io.etcdj.server.failpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * gofail's HTTP interface over a {@link FailpointRegistry}: {@code GET /} lists {@code name=term}
 * lines, {@code GET /<name>} gives the term, {@code PUT /<name>} arms with the body's term,
 * {@code DELETE /<name>} disarms. An unknown name is 404, a bad term 400.
 */
public final class FailpointEndpoint {
    private FailpointEndpoint() {
    }

    /** Serves {@code registry} on {@code at} (daemon threads) and returns the server. */
    public static HttpServer start(FailpointRegistry registry, InetSocketAddress at) throws IOException {
        HttpServer server = HttpServer.create(at, 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(registry, exchange);
            }
        });
        server.setExecutor(null); // the server's own dispatcher thread: a few test requests
        server.start();
        return server;
    }

    private static void handle(FailpointRegistry registry, HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().replaceFirst("^/", "");
        String method = ex.getRequestMethod();
        if (name.isEmpty()) {
            if (!method.equals("GET")) {
                reply(ex, 405, "method not allowed\n");
                return;
            }
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, String> e : registry.list().entrySet()) {
                body.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            reply(ex, 200, body.toString());
            return;
        }
        if (!registry.exists(name)) {
            reply(ex, 404, "failpoint: failpoint does not exist: " + name + "\n");
            return;
        }
        switch (method) {
            case "GET" -> reply(ex, 200, registry.term(name));
            case "PUT" -> {
                String term = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    registry.set(name, term);
                    reply(ex, 204, "");
                } catch (IllegalArgumentException e) {
                    reply(ex, 400, e.getMessage() + "\n");
                }
            }
            case "DELETE" -> {
                registry.set(name, "off");
                reply(ex, 204, "");
            }
            default -> reply(ex, 405, "method not allowed\n");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204) {
            ex.sendResponseHeaders(204, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
