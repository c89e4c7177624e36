package io.etcdj.server.clientport;

/**
 * What one client listener serves. Without --listen-client-http-urls every --listen-client-urls
 * listener serves {@link #GRPC_AND_HTTP}, as etcd 3.4 does; with it (etcd 3.5) the client URLs
 * serve {@link #GRPC_ONLY} and the HTTP URLs {@link #HTTP_ONLY}. A connection speaking the other
 * protocol is closed without an answer, as etcd's connection multiplexer closes one no matcher
 * takes.
 */
public enum ClientPortTraffic {
    GRPC_AND_HTTP(true, true),
    GRPC_ONLY(true, false),
    HTTP_ONLY(false, true);

    private final boolean grpc;
    private final boolean http;

    ClientPortTraffic(boolean grpc, boolean http) {
        this.grpc = grpc;
        this.http = http;
    }

    /** Whether HTTP/2 connections with prior knowledge (gRPC) are served. */
    public boolean servesGrpc() {
        return grpc;
    }

    /** Whether HTTP/1 connections (/health, /version, /metrics, v2, the JSON gateway) are served. */
    public boolean servesHttp() {
        return http;
    }
}
