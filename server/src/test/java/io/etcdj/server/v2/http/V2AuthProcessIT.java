package io.etcdj.server.v2.http;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link V2AuthScript} on our real member (bin/etcd --enable-v2, one member) beside the reference
 * etcd: the auth records are proposed through raft and applied by the member's v2 state machine,
 * and every answer must still be etcd's, byte for byte (as {@link V2AuthDifferentialTest} masks).
 */
class V2AuthProcessIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();

    @Test
    void theAuthScriptAnswersAsEtcdOnARealMember() throws Exception {
        try (ReferenceEtcd ref = new ReferenceEtcd(); ReferenceEtcd ours = new ReferenceEtcd(BIN_ETCD.toString())) {
            new V2AuthScript((headers, method, target, body, type) -> V2AuthDifferentialTest.compare(
                    ref.clientPort, ours.clientPort, headers, method, target, body, type)).play();
        }
    }
}
