package io.etcdj.server.grpcgo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.grpc.Status;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * gogoproto's decode errors and grpc-go's unknown-method answers, for the cases the differential
 * test against etcd cannot reach cheaply: nested messages, packed fields, Go's field names. The
 * texts follow gogoproto 1.3.2's generated code (see {@link GogoUnmarshalError}).
 */
class GogoUnmarshalErrorTest {
    private static String error(Descriptors.Descriptor type, String hex) {
        return GogoUnmarshalError.of(type, HexFormat.of().parseHex(hex)).orElse("decodes");
    }

    @Test
    void fieldsAreNamedAsGogoprotoNamesThemInGo() {
        assertThat(GogoUnmarshalError.goFieldName(RangeRequest.getDescriptor().findFieldByName("range_end")))
                .isEqualTo("RangeEnd");
        assertThat(GogoUnmarshalError.goFieldName(LeaseGrantRequest.getDescriptor().findFieldByName("TTL")))
                .isEqualTo("TTL");
        assertThat(GogoUnmarshalError.goFieldName(MemberAddRequest.getDescriptor().findFieldByName("peerURLs")))
                .isEqualTo("PeerURLs");
        assertThat(error(RangeRequest.getDescriptor(), "1001")).isEqualTo("proto: wrong wireType = 0 for field RangeEnd");
        assertThat(error(PutRequest.getDescriptor(), "2001" + "2a00")).isEqualTo("proto: wrong wireType = 2 for field IgnoreValue");
    }

    @Test
    void aNestedMessageIsNamedInItsOwnErrors() {
        assertThat(error(WatchRequest.getDescriptor(), "0a020000"))
                .isEqualTo("proto: WatchCreateRequest: illegal tag 0 (wire type 0)");
        assertThat(error(WatchRequest.getDescriptor(), "0a03" + "0a05")).isEqualTo("unexpected EOF");
        assertThat(error(WatchRequest.getDescriptor(), "0a02" + "0a05")).isEqualTo("unexpected EOF");
        assertThat(error(RangeRequest.getDescriptor(), "0a016b" + "2001" + "0a01")).isEqualTo("unexpected EOF");
    }

    @Test
    void lengthsAreReadWithAll64Bits() {
        assertThat(error(PutRequest.getDescriptor(), "0a81808080106b")).isEqualTo("unexpected EOF"); // 2^32 + 1
        assertThat(error(PutRequest.getDescriptor(), "0a80808080086b")).isEqualTo("unexpected EOF"); // 2^31
        assertThat(error(PutRequest.getDescriptor(), "0affffffffffffffff7f")).isEqualTo(
                "proto: negative length found during unmarshaling");
    }

    @Test
    void packedAndUnpackedRepeatedEnumsBothDecode() {
        assertThat(error(WatchCreateRequest.getDescriptor(), "2a020001")).isEqualTo("decodes");
        assertThat(error(WatchCreateRequest.getDescriptor(), "2800" + "2801")).isEqualTo("decodes");
        assertThat(error(WatchCreateRequest.getDescriptor(), "2d00000000")).isEqualTo("proto: wrong wireType = 5 for field Filters");
        assertThat(error(WatchCreateRequest.getDescriptor(), "2a0180")).isEqualTo("unexpected EOF");
    }

    @Test
    void unknownFieldsAreSkippedByTheirWireType() {
        assertThat(error(PutRequest.getDescriptor(), "a9010102030405060708" + "ad0101020304" + "a2010100")).isEqualTo("decodes");
        assertThat(error(PutRequest.getDescriptor(), "a90101020304")).isEqualTo("unexpected EOF");
        assertThat(error(PutRequest.getDescriptor(), "a301a4010a016b")).isEqualTo("decodes");
        assertThat(error(PutRequest.getDescriptor(), "a301a401a401")).isEqualTo("proto: PutRequest: wiretype end group for non-group");
    }

    @Test
    void unknownMethodsAreAnsweredAsGrpcGoAnswersThem() {
        UnknownMethods unknown = new UnknownMethods(Set.of("etcdserverpb.KV"));
        assertThat(unknown.refusal("KVPut").getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(unknown.refusal("KV\"Put").getDescription()).isEqualTo("malformed method name: \"/KV\\\"Put\"");
        assertThat(unknown.refusal("etcdserverpb.KV/Get").getDescription())
                .isEqualTo("unknown method Get for service etcdserverpb.KV");
        assertThat(unknown.refusal("a/b/c").getDescription()).isEqualTo("unknown service a/b");
        assertThat(GoQuote.of("a\tb\u0001\u007f\\")).isEqualTo("\"a\\tb\\x01\\x7f\\\\\"");
    }
}
