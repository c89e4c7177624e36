package io.etcdj.server.gateway;

/** A request body that Go's decoders reject; the message is the text Go would produce. */
final class GoJsonException extends Exception {
    GoJsonException(String goMessage) {
        super(goMessage, null, false, false);
    }
}
