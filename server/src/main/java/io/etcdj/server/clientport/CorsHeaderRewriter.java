package io.etcdj.server.clientport;

import io.etcdj.server.v2.http.V2HttpResponse;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With a {@code --cors} list other than "*": the handlers write etcd's CORS headers admitting "*";
 * this stage, right after the HTTP codec of a connection, replaces them by the ones the policy
 * gives the request's Origin, or drops them when the origin is not admitted. A connection answers
 * one request at a time (the next is read only once the answer is written), so the Origin of the
 * request being answered is the last one read.
 *
 * <p>The v2 proxy's {@code ProxyCors} applies the same rule ({@link AccessPolicy#allowedOrigin}, the
 * headers of {@link V2HttpResponse#corsHeaders}) but not this way, on purpose: a member's answers
 * carry only its own CORS headers, from handlers of every kind, so replacing every
 * Access-Control-Allow-* header on the wire is right here; a proxy's answer also carries the
 * relayed member's, which etcd's proxy leaves as they came and a rewrite here would drop.
 */
public final class CorsHeaderRewriter extends ChannelDuplexHandler {
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    private final AccessPolicy policy;
    private String origin;

    public CorsHeaderRewriter(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req) {
            origin = req.headers().get("Origin");
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse resp && resp.headers().contains(ALLOW_ORIGIN)) {
            rewrite(resp.headers(), policy.allowedOrigin(origin));
        }
        super.write(ctx, msg, promise);
    }

    /** Replaces the Access-Control-Allow-* headers, keeping them first as Go's sorted header map does. */
    static void rewrite(HttpHeaders headers, Optional<String> admitted) {
        List<Map.Entry<String, String>> others = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (!e.getKey().regionMatches(true, 0, "Access-Control-Allow-", 0, "Access-Control-Allow-".length())) {
                others.add(e);
            }
        }
        headers.clear();
        admitted.ifPresent(o -> V2HttpResponse.corsHeaders(o).forEach(e -> headers.add(e.getKey(), e.getValue())));
        others.forEach(e -> headers.add(e.getKey(), e.getValue()));
    }
}
