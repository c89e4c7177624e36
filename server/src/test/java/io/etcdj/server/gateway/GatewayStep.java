package io.etcdj.server.gateway;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One step of a randomized gateway scenario, sent alike to the reference etcd and to ours.
 *
 * @param kind how it is sent and compared
 * @param path the gateway path (POST)
 * @param body the request body, sent as it is
 * @param masked JSON keys whose values differ by nature in this step's answers (beside the header's IDs)
 * @param user whose token goes in the Authorization header (null: none)
 * @param writes for a {@link Kind#WATCH}: the writes made while the streams are open
 * @param creates for a {@link Kind#WATCH}: how many of its create requests the gateway decodes
 *        (it reads no further than the first one it cannot)
 * @param onReference what the generator learns from the reference's answer (its parsed JSON, or null)
 */
public record GatewayStep(Kind kind, String path, String body, Set<String> masked, String user,
                          List<GatewayStep> writes, int creates, Consumer<Object> onReference) {
    public enum Kind {
        /** One request, one answer. */
        UNARY,
        /** A lease granted with ID 0: the answers are compared with the ID masked, then each server's lease is revoked. */
        GRANT_ANY_ID,
        /** An authenticate request: each server's token is kept for {@code user}'s later steps. */
        AUTHENTICATE,
        /** A /v3/watch stream with create requests (the body), {@code writes} while it is open, per-watch comparison. */
        WATCH,
        /** A streamed answer of which only the first message is compared (election observe). */
        FIRST_MESSAGE
    }

    static GatewayStep unary(String path, String body) {
        return new GatewayStep(Kind.UNARY, path, body, Set.of(), null, List.of(), 0, r -> { });
    }

    GatewayStep masking(String... keys) {
        return new GatewayStep(kind, path, body, Set.of(keys), user, writes, creates, onReference);
    }

    GatewayStep as(String who) {
        return new GatewayStep(kind, path, body, masked, who, writes, creates, onReference);
    }

    GatewayStep kind(Kind k) {
        return new GatewayStep(k, path, body, masked, user, writes, creates, onReference);
    }

    GatewayStep then(Consumer<Object> learn) {
        return new GatewayStep(kind, path, body, masked, user, writes, creates, learn);
    }

    static GatewayStep watch(String createRequests, int decoded, List<GatewayStep> writes) {
        return new GatewayStep(Kind.WATCH, "/v3/watch", createRequests, Set.of(), null, writes, decoded, r -> { });
    }

    @Override
    public String toString() {
        return kind + " " + path + (user == null ? "" : " as " + user) + " " + body
                + (writes.isEmpty() ? "" : " writes " + writes.stream().map(w -> w.path + " " + w.body).toList());
    }
}
