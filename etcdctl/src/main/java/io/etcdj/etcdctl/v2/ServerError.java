package io.etcdj.etcdctl.v2;

import java.util.Map;

/** An error reply of the v2 API (client.Error): prints as "100: Key not found (/a) [6]". */
final class ServerError extends Exception {
    ServerError(long code, String message, String cause, long index) {
        super(code + ": " + message + " (" + cause + ") [" + index + "]");
    }

    static ServerError from(String body) {
        Map<?, ?> m = (Map<?, ?>) Json.parse(body);
        return new ServerError(KeyNode.num(m.get("errorCode")), String.valueOf(m.get("message")),
                m.get("cause") instanceof String s ? s : "", KeyNode.num(m.get("index")));
    }
}
