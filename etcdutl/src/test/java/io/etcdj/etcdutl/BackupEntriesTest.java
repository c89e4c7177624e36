package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.pb.ClusterVersionSet;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.pb.V2Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A backup's log: what is kept, what becomes an empty entry at the same index and term, and what is said. */
class BackupEntriesTest {
    private static final List<Entry> LOG = List.of(
            Entry.newBuilder().setType(EntryType.EntryConfChange).setIndex(1).setTerm(1).setData(ConfChange.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddNode).setNodeId(0xabc).build().toByteString()).build(),
            Entry.newBuilder().setIndex(2).setTerm(2).build(),
            request(3, InternalRaftRequest.newBuilder().setMemberAttributes(MemberAttributes.newBuilder()
                    .setMemberId(0xabc).setName("m").addClientUrls("http://127.0.0.1:2379")).build()),
            request(4, InternalRaftRequest.newBuilder().setClusterVersionSet(ClusterVersionSet.newBuilder().setVer("3.5.0")).build()),
            request(5, InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build()),
            request(6, InternalRaftRequest.newBuilder().setV2(V2Request.newBuilder().setMethod("PUT").setPath("/1/k")).build()),
            request(7, InternalRaftRequest.newBuilder().setV2(V2Request.newBuilder().setMethod("PUT")
                    .setPath("/0/members/abc/attributes")).build()));

    @Test
    void withoutV3OnlyV2RequestsClusterVersionsAndEmptyEntriesRemain() {
        List<String> said = new ArrayList<>();
        List<Entry> kept = BackupEntries.translate(LOG, false, said::add);
        assertThat(kept).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(kept).extracting(Entry::getTerm).containsExactly(1L, 2L, 2L, 2L, 2L, 2L, 2L);
        assertThat(kept).extracting(e -> e.getData().isEmpty()).containsExactly(true, true, true, false, true, false, true);
        assertThat(kept).allMatch(e -> e.getType() == EntryType.EntryNormal);
        assertThat(said).containsExactly("ignoring EntryConfChange raft entry",
                "ignoring member attribute update on /0/members/abc/attributes", "ignoring v3 raft entry",
                "ignoring member attribute update on /0/members/abc/attributes");
    }

    @Test
    void withV3ThePutStays() {
        List<String> said = new ArrayList<>();
        List<Entry> kept = BackupEntries.translate(LOG, true, said::add);
        assertThat(kept.get(4)).isEqualTo(LOG.get(4));
        assertThat(said).doesNotContain("ignoring v3 raft entry").hasSize(3);
    }

    private static Entry request(long index, InternalRaftRequest r) {
        return Entry.newBuilder().setIndex(index).setTerm(2).setData(r.toByteString()).build();
    }
}
