package io.etcdj.mvcc.backend.bbolt;

import java.io.IOException;

/** A bbolt file that is not one, or is damaged or truncated; the message says where. */
public final class BboltFormatException extends IOException {
    public BboltFormatException(String message) {
        super(message);
    }
}
