package io.etcdj.server.v2.http;

import java.util.List;
import java.util.Map;

/** Passes every call through to the wrapped exchange; wrappers override what they change. */
public class ForwardingExchange implements V2HttpExchange {
    private final V2HttpExchange inner;

    public ForwardingExchange(V2HttpExchange inner) {
        this.inner = inner;
    }

    @Override public String method() { return inner.method(); }
    @Override public String path() { return inner.path(); }
    @Override public String rawQuery() { return inner.rawQuery(); }
    @Override public String header(String name) { return inner.header(name); }
    @Override public String rawPath() { return inner.rawPath(); }
    @Override public List<Map.Entry<String, String>> headers() { return inner.headers(); }
    @Override public String remoteIp() { return inner.remoteIp(); }
    @Override public List<String> clientCertificateNames() { return inner.clientCertificateNames(); }
    @Override public byte[] body() { return inner.body(); }
    @Override public void respond(V2HttpResponse response) { inner.respond(response); }
    @Override public ResponseStream startStream(V2HttpResponse response) { return inner.startStream(response); }
    @Override public boolean isOpen() { return inner.isOpen(); }
}
