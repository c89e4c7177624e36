package io.etcdj.server.v2.replicated;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.v2.store.GoStrings;
import io.etcdj.server.v2.store.V2Request;
import org.junit.jupiter.api.Test;

/** A v2 request goes through the raft log with the very bytes of its key and values. */
class V2RequestsTest {
    private static V2Request put(String path, String value, String prevValue) {
        return new V2Request(7, "PUT", path, value, false, prevValue, 0, null, 0, false, 0, false, false, false, 0,
                false, null);
    }

    @Test
    void keysAndValuesThatAreNotUtf8TravelAsTheirBytes() {
        String notUtf8 = GoStrings.fromBytes(new byte[] {'a', (byte) 0xff});
        V2Request r = put("/1/" + notUtf8, notUtf8 + "v", notUtf8 + "p");
        io.etcdj.server.pb.V2Request proto = V2Requests.toProto(r);
        assertThat(proto.getPath()).isEmpty();
        assertThat(proto.getRawPath().toByteArray()).isEqualTo(new byte[] {'/', '1', '/', 'a', (byte) 0xff});
        assertThat(V2Requests.fromProto(proto)).isEqualTo(r);
    }

    @Test
    void utf8KeysAndValuesKeepTheirStringFields() {
        V2Request r = put("/1/café", "☃", "");
        io.etcdj.server.pb.V2Request proto = V2Requests.toProto(r);
        assertThat(proto.getPath()).isEqualTo("/1/café");
        assertThat(proto.getRawPath().isEmpty()).isTrue();
        assertThat(proto.getRawVal().isEmpty()).isTrue();
        assertThat(V2Requests.fromProto(proto)).isEqualTo(r);
    }
}
