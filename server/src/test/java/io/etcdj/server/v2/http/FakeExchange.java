package io.etcdj.server.v2.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-memory {@link V2HttpExchange}: the request is given, the answer is recorded. */
final class FakeExchange implements V2HttpExchange {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, String> headers = new HashMap<>();
    private List<String> certificateNames = List.of();
    private final byte[] body;
    volatile boolean open = true;
    volatile V2HttpResponse response;
    final LinkedBlockingQueue<String> parts = new LinkedBlockingQueue<>();
    final List<String> all = new ArrayList<>();

    FakeExchange(String method, String target, String formBody) {
        this(method, target, formBody, formBody == null ? null : "application/x-www-form-urlencoded");
    }

    FakeExchange(String method, String target, String body, String contentType) {
        this.method = method;
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.query = q < 0 ? "" : target.substring(q + 1);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        this.body = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String method() { return method; }
    @Override public String path() { return path; }
    @Override public String rawQuery() { return query; }
    @Override public String header(String name) { return headers.get(name); }
    @Override public List<String> clientCertificateNames() { return certificateNames; }

    /** Adds a request header. */
    FakeExchange with(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** As if the request came over TLS with a client certificate chain naming these CNs. */
    FakeExchange withCertificateNames(String... names) {
        certificateNames = List.of(names);
        return this;
    }
    @Override public byte[] body() { return body; }
    @Override public boolean isOpen() { return open; }

    @Override
    public void respond(V2HttpResponse r) {
        response = r;
    }

    @Override
    public ResponseStream startStream(V2HttpResponse r) {
        response = r;
        return new ResponseStream() {
            @Override
            public void write(byte[] part) {
                parts.add(new String(part, StandardCharsets.UTF_8));
            }

            @Override
            public void end() {
                parts.add("<END>");
            }
        };
    }

    String answer() {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    String nextPart() throws InterruptedException {
        String p = parts.poll(10, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("no streamed part within 10s");
        }
        return p;
    }
}
