package io.etcdj.server.etcdimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.V2Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Entries as etcd 3.4 writes them (the bytes built here field by field, with etcd's field numbers) and
 * what they become in our log; the real ones are read in EtcdDataDirImportIT.
 */
class EtcdEntryConverterTest {
    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_COST);
    private final EtcdEntryConverter converter = new EtcdEntryConverter(hasher);

    @Test
    void aPutKeepsItsRequestAndTheHeadersUserBecomesTheCaller() throws Exception {
        PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build();
        byte[] data = fields(out -> {
            out.writeByteArray(4, put.toByteArray());
            out.writeByteArray(100, fields(h -> {
                h.writeUInt64(1, 77);
                h.writeString(2, "alice");
                h.writeUInt64(3, 5);
            }));
        });
        InternalRaftRequest r = normal(7, data);
        assertThat(r.getId()).isEqualTo(77);
        assertThat(r.getPut()).isEqualTo(put);
        assertThat(r.getCaller().getUserName()).isEqualTo("alice");
        assertThat(r.getCaller().getAuthRevision()).isEqualTo(5);
    }

    @Test
    void aUserAddCarriesTheHashOfItsPasswordAndAnAuthReadBecomesAnEmptyRequest() throws Exception {
        byte[] add = fields(out -> out.writeByteArray(1100,
                AuthUserAddRequest.newBuilder().setName("alice").setPassword("secret").build().toByteArray()));
        AuthUserAddRequest converted = normal(8, add).getAuthUserAdd();
        assertThat(converted.getPassword()).isEmpty();
        assertThat(hasher.matches("secret", converted.getHashedPassword())).isTrue();

        byte[] userGet = fields(out -> out.writeByteArray(1102, fields(g -> g.writeString(1, "alice"))));
        assertThat(normal(9, userGet).getRequestCase()).isEqualTo(InternalRaftRequest.RequestCase.REQUEST_NOT_SET);
    }

    @Test
    void aV2PublishBecomesMemberAttributesAndAV2KeyWriteStaysOne() throws Exception {
        V2Request publish = V2Request.newBuilder().setId(3).setMethod("PUT").setPath("/0/members/61870d948f4ccbba/attributes")
                .setVal("{\"name\":\"m1\",\"clientURLs\":[\"http://127.0.0.1:2379\"]}").build();
        InternalRaftRequest r = normal(3, publish.toByteArray());
        assertThat(r.getMemberAttributes().getMemberId()).isEqualTo(0x61870d948f4ccbbaL);
        assertThat(r.getMemberAttributes().getName()).isEqualTo("m1");
        assertThat(r.getMemberAttributes().getClientUrlsList()).containsExactly("http://127.0.0.1:2379");

        V2Request set = V2Request.newBuilder().setId(4).setMethod("PUT").setPath("/1/x").setVal("1").build();
        assertThat(normal(4, set.toByteArray()).getV2()).isEqualTo(set);
        V2Request version = V2Request.newBuilder().setId(5).setMethod("PUT").setPath("/0/version").setVal("3.4.0").build();
        assertThat(normal(5, version.toByteArray()).getClusterVersionSet().getVer()).isEqualTo("3.4.0");
    }

    @Test
    void aConfChangesMemberJsonBecomesOurRecordKeyedByItsNodeId() throws Exception {
        ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddLearnerNode).setNodeId(0x8e9e05c52164694dL)
                .setContext(ByteString.copyFromUtf8("{\"id\":10276657743932975437,\"peerURLs\":[\"http://127.0.0.2:2380\"],"
                        + "\"isLearner\":true}")).build();
        Entry e = Entry.newBuilder().setType(EntryType.EntryConfChange).setIndex(2).setTerm(1).setData(cc.toByteString()).build();
        ConfChange converted = ConfChange.parseFrom(converter.convert(e).getData());
        assertThat(MemberRecord.parseFrom(converted.getContext())).isEqualTo(MemberRecord.newBuilder()
                .setId(0x8e9e05c52164694dL).addPeerUrls("http://127.0.0.2:2380").setIsLearner(true).build());
    }

    @Test
    void aRequestEtcdjHasNoCounterpartForIsRefusedNamingTheEntry() throws Exception {
        byte[] downgrade = fields(out -> out.writeByteArray(1302, new byte[0]));
        assertThatThrownBy(() -> normal(42, downgrade))
                .hasMessage("cannot import entry 42 of etcd's WAL: an InternalRaftRequest with field 1302,"
                        + " which etcdj has no request for");
    }

    private InternalRaftRequest normal(long index, byte[] data) throws IOException {
        Entry e = Entry.newBuilder().setType(EntryType.EntryNormal).setIndex(index).setTerm(2)
                .setData(ByteString.copyFrom(data)).build();
        Entry converted = converter.convert(e);
        assertThat(converted.getIndex()).isEqualTo(index);
        assertThat(converted.getTerm()).isEqualTo(2);
        return InternalRaftRequest.parseFrom(converted.getData());
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] fields(Writer w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        w.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
