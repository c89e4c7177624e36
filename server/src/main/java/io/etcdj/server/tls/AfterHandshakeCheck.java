package io.etcdj.server.tls;

import java.net.SocketAddress;
import javax.net.ssl.SSLEngine;

/**
 * One accepted connection's check after its TLS handshake, for the handler right after its
 * SslHandler ({@link RejectedConnectionLog}, or the peer port's copy for gRPC's shaded Netty):
 * whether the certificates the client sent are revoked. The handler asks when the handshake
 * completes, or at the first decrypted bytes should they come first.
 *
 * <p>Invariant: once refused, always refused, and the refusal is logged once.
 */
final class AfterHandshakeCheck {
    /** Null: no revocation list. */
    private final RevocationList revoked;
    private boolean refused;

    AfterHandshakeCheck(RevocationList revoked) {
        this.revoked = revoked;
    }

    /** False, after calling {@code close}, when the connection is refused: nothing of it may pass on. */
    boolean admits(SocketAddress remote, SSLEngine engine, Runnable close) {
        if (!refused && RejectedConnectionLog.refusedAfterHandshake(remote, engine, revoked)) {
            refused = true;
            close.run();
        }
        return !refused;
    }
}
