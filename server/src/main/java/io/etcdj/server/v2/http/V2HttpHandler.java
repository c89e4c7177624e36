package io.etcdj.server.v2.http;

/** Answers HTTP requests given as {@link V2HttpExchange}s; may block, so never runs on an I/O thread. */
@FunctionalInterface
public interface V2HttpHandler {
    void handle(V2HttpExchange exchange);
}
