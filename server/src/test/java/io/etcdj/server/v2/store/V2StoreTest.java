package io.etcdj.server.v2.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Scenarios for every store operation and every error, with etcd's codes, causes and indices. */
class V2StoreTest {
    private static final long NOW = 1_700_000_000L * 1_000_000_000L;
    private static final long SEC = 1_000_000_000L;
    private final V2Store store = new V2Store("/0", "/1");

    private static void error(ThrowingCallable call, int code, String cause, long index) {
        assertThatThrownBy(call).isInstanceOfSatisfying(V2Error.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.errorCause()).isEqualTo(cause);
            assertThat(e.index()).isEqualTo(index);
        });
    }

    @Test
    void setCreatesParentsAndReplacesKeys() {
        V2Event first = store.set("/a/b", false, "1", V2Store.PERMANENT, false, NOW);
        assertThat(first.action()).isEqualTo("set");
        assertThat(first.isCreated()).isTrue();
        assertThat(first.node()).isEqualTo(new NodeView("/a/b", false, "1", null, null, 0, 1, 1));
        V2Event second = store.set("/a/b", false, "2", V2Store.PERMANENT, false, NOW);
        assertThat(second.isCreated()).isFalse();
        assertThat(second.prevNode().value()).isEqualTo("1");
        assertThat(second.node().createdIndex()).isEqualTo(2);
        assertThat(store.get("/a", false, false, NOW).node().createdIndex()).isEqualTo(1);
        assertThat(store.index()).isEqualTo(2);
    }

    @Test
    void setErrors() {
        store.set("/k", false, "v", V2Store.PERMANENT, false, NOW);
        store.set("/d", true, "", V2Store.PERMANENT, false, NOW);
        error(() -> store.set("/k/x", false, "v", 0, false, NOW), V2Error.NOT_DIR, "/k", 2);
        error(() -> store.set("/d", false, "v", 0, false, NOW), V2Error.NOT_FILE, "/d", 2);
        error(() -> store.set("/1", false, "v", 0, false, NOW), V2Error.ROOT_READ_ONLY, "/", 2);
        error(() -> store.set("/", false, "v", 0, false, NOW), V2Error.ROOT_READ_ONLY, "/", 2);
        error(() -> store.set("/missing", false, "", 0, true, NOW), V2Error.KEY_NOT_FOUND, "/missing", 2);
        assertThat(store.index()).isEqualTo(2);
    }

    @Test
    void getListsVisibleChildrenSortedAndRecursive() {
        store.set("/d/b", false, "2", 0, false, NOW);
        store.set("/d/a/x", false, "1", 0, false, NOW);
        store.set("/d/_hidden", false, "h", 0, false, NOW);
        V2Event flat = store.get("/d", false, true, NOW);
        assertThat(flat.node().nodes()).extracting(NodeView::key).containsExactly("/d/a", "/d/b");
        assertThat(flat.node().nodes().get(0).nodes()).isNull();
        V2Event deep = store.get("/d", true, true, NOW);
        assertThat(deep.node().nodes().get(0).nodes()).extracting(NodeView::key).containsExactly("/d/a/x");
        assertThat(store.get("/d/_hidden", false, false, NOW).node().value()).isEqualTo("h");
        error(() -> store.get("/x/y", false, false, NOW), V2Error.KEY_NOT_FOUND, "/x", 3);
        error(() -> store.get("/d/b/c", false, false, NOW), V2Error.NOT_DIR, "/d/b", 3);
    }

    /** Found by V2RandomDifferentialTest (seed 23): Go orders keys by their UTF-8 bytes, not by UTF-16 units. */
    @Test
    void aSortedListingIsInTheOrderOfTheKeysBytes() {
        store.set("/d/\ud83d\ude00", false, "emoji, F0 9F 98 80", 0, false, NOW);
        store.set("/d/\ufffd", false, "replacement character, EF BF BD", 0, false, NOW);
        store.set("/d/\ue000", false, "private use, EE 80 80", 0, false, NOW);
        store.set("/d/z", false, "ascii", 0, false, NOW);
        assertThat(store.get("/d", false, true, NOW).node().nodes()).extracting(NodeView::key)
                .containsExactly("/d/z", "/d/\ue000", "/d/\ufffd", "/d/\ud83d\ude00");
    }

    @Test
    void createAndInOrderKeys() {
        V2Event c = store.create("/c", false, "v", false, 0, NOW);
        assertThat(c.action()).isEqualTo("create");
        error(() -> store.create("/c", false, "v", false, 0, NOW), V2Error.NODE_EXIST, "/c", 1);
        V2Event q1 = store.create("/q", false, "a", true, 0, NOW);
        V2Event q2 = store.create("/q", false, "b", true, 0, NOW);
        assertThat(q1.node().key()).isEqualTo("/q/00000000000000000002");
        assertThat(q2.node().key()).isEqualTo("/q/00000000000000000003");
        error(() -> store.create("/c", false, "v", true, 0, NOW), V2Error.NOT_DIR, "/c", 3);
    }

    @Test
    void updateKeepsCreatedIndexAndDirUpdateOnlyChangesTtl() {
        store.set("/k", false, "v", 0, false, NOW);
        V2Event u = store.update("/k", "w", 0, false, NOW);
        assertThat(u.action()).isEqualTo("update");
        assertThat(u.node()).isEqualTo(new NodeView("/k", false, "w", null, null, 0, 2, 1));
        store.set("/d", true, "", 0, false, NOW);
        V2Event du = store.update("/d", "", NOW + 50 * SEC, false, NOW);
        assertThat(du.node().ttl()).isEqualTo(50);
        assertThat(du.node().modifiedIndex()).isEqualTo(4);
        // etcd quirk: the directory itself keeps its old modifiedIndex
        assertThat(store.get("/d", false, false, NOW).node().modifiedIndex()).isEqualTo(3);
        error(() -> store.update("/d", "x", 0, false, NOW), V2Error.NOT_FILE, "/d", 4);
        error(() -> store.update("/none", "x", 0, false, NOW), V2Error.KEY_NOT_FOUND, "/none", 4);
        error(() -> store.update("/1", "x", 0, false, NOW), V2Error.ROOT_READ_ONLY, "/", 4);
    }

    @Test
    void compareAndSwapChecksValueAndIndex() {
        store.set("/k", false, "v", 0, false, NOW);
        error(() -> store.compareAndSwap("/k", "x", 0, "n", 0, false, NOW), V2Error.TEST_FAILED, "[x != v]", 1);
        error(() -> store.compareAndSwap("/k", "", 9, "n", 0, false, NOW), V2Error.TEST_FAILED, "[9 != 1]", 1);
        error(() -> store.compareAndSwap("/k", "x", 9, "n", 0, false, NOW), V2Error.TEST_FAILED,
                "[x != v] [9 != 1]", 1);
        V2Event e = store.compareAndSwap("/k", "v", 1, "n", 0, false, NOW);
        assertThat(e.action()).isEqualTo("compareAndSwap");
        assertThat(e.node()).isEqualTo(new NodeView("/k", false, "n", null, null, 0, 2, 1));
        store.set("/d", true, "", 0, false, NOW);
        error(() -> store.compareAndSwap("/d", "v", 0, "n", 0, false, NOW), V2Error.NOT_FILE, "/d", 3);
    }

    @Test
    void deleteKeysAndDirectories() {
        store.set("/d/k", false, "v", 0, false, NOW);
        error(() -> store.delete("/d", false, false, NOW), V2Error.NOT_FILE, "/d", 1);
        error(() -> store.delete("/d", true, false, NOW), V2Error.DIR_NOT_EMPTY, "/d", 1);
        error(() -> store.delete("/1", true, true, NOW), V2Error.ROOT_READ_ONLY, "/", 1);
        error(() -> store.delete("/none", false, false, NOW), V2Error.KEY_NOT_FOUND, "/none", 1);
        V2Event e = store.delete("/d", false, true, NOW);
        assertThat(e.node()).isEqualTo(new NodeView("/d", true, null, null, null, 0, 2, 1));
        assertThat(e.prevNode().dir()).isTrue();
        error(() -> store.get("/d/k", false, false, NOW), V2Error.KEY_NOT_FOUND, "/d", 2);
    }

    @Test
    void compareAndDelete() {
        store.set("/k", false, "v", 0, false, NOW);
        error(() -> store.compareAndDelete("/k", "x", 0, NOW), V2Error.TEST_FAILED, "[x != v]", 1);
        V2Event e = store.compareAndDelete("/k", "v", 0, NOW);
        assertThat(e.action()).isEqualTo("compareAndDelete");
        assertThat(e.node().value()).isNull();
    }

    @Test
    void compareAndDeleteCountsOnlyAMissingKeyAsAFailureAsEtcdDoes() {
        store.set("/d", true, "", 0, false, NOW);
        error(() -> store.compareAndDelete("/d", "x", 0, NOW), V2Error.NOT_FILE, "/d", 1);
        error(() -> store.compareAndDelete("/none", "x", 0, NOW), V2Error.KEY_NOT_FOUND, "/none", 1);
        store.set("/k", false, "v", 0, false, NOW);
        error(() -> store.compareAndDelete("/k", "x", 0, NOW), V2Error.TEST_FAILED, "[x != v]", 2);
        store.compareAndDelete("/k", "v", 0, NOW);
        // the reference etcd 3.4.23 shows 3 and 1 for the same four requests
        assertThat(store.stats().toMap(0)).containsEntry("compareAndDeleteSuccess", 3L)
                .containsEntry("compareAndDeleteFail", 1L);
    }

    @Test
    void ttlIsShownRoundedUpAndExpiryIsAnExplicitOperation() {
        V2Event e = store.set("/t", false, "v", NOW + 10 * SEC, false, NOW - SEC / 2);
        assertThat(e.node().ttl()).isEqualTo(11);
        assertThat(store.hasTtlKeys()).isTrue();
        store.deleteExpiredKeys(NOW + 10 * SEC - 1);
        assertThat(store.index()).isEqualTo(1);
        V2Watcher w = store.watch("/t", false, false, 0);
        store.deleteExpiredKeys(NOW + 10 * SEC);
        assertThat(store.index()).isEqualTo(2);
        assertThat(store.hasTtlKeys()).isFalse();
        error(() -> store.get("/t", false, false, NOW), V2Error.KEY_NOT_FOUND, "/t", 2);
        assertThat(next(w).action()).isEqualTo("expire");
    }

    @Test
    void expiringADirectoryRemovesItsContents() {
        store.set("/d", true, "", NOW + SEC, false, NOW);
        store.set("/d/k", false, "v", 0, false, NOW);
        store.deleteExpiredKeys(NOW + SEC);
        error(() -> store.get("/d", false, false, NOW), V2Error.KEY_NOT_FOUND, "/d", 3);
    }

    @Test
    void refreshResetsTtlWithoutNotifyingWatchers() {
        store.set("/t", false, "v", NOW + 10 * SEC, false, NOW);
        V2Watcher w = store.watch("/t", false, false, 0);
        V2Event r = store.set("/t", false, "", NOW + 20 * SEC, true, NOW);
        assertThat(r.node().value()).isEqualTo("v");
        assertThat(r.node().ttl()).isEqualTo(20);
        assertThat(poll(w)).isNull();
        store.set("/t", false, "changed", 0, false, NOW);
        assertThat(next(w).node().value()).isEqualTo("changed");
        // refresh events are in the history but never returned to watchers
        assertThat(store.watch("/t", false, false, 2).startIndex()).isEqualTo(3);
        assertThat(next(store.watch("/t", false, false, 2)).node().modifiedIndex()).isEqualTo(3);
    }

    @Test
    void watchersSeeTheirKeyTheirSubtreeAndDeletedParents() {
        V2Watcher exact = store.watch("/a/b", false, false, 0);
        V2Watcher rec = store.watch("/a", true, true, 0);
        V2Watcher notRec = store.watch("/a", false, false, 0);
        store.set("/a/b", false, "1", 0, false, NOW);
        store.set("/a/_h", false, "x", 0, false, NOW);
        store.set("/a/c", false, "2", 0, false, NOW);
        assertThat(next(exact).node().key()).isEqualTo("/a/b");
        assertThat(next(rec).node().key()).isEqualTo("/a/b");
        assertThat(next(rec).node().key()).isEqualTo("/a/c"); // hidden /a/_h skipped
        assertThat(poll(notRec)).isNull();
        V2Watcher child = store.watch("/a/c", false, false, 0);
        store.delete("/a", true, true, NOW);
        assertThat(next(child).node().key()).isEqualTo("/a");
        assertThat(next(notRec).action()).isEqualTo("delete");
        assertThat(store.watcherCount()).isEqualTo(1); // only the stream watcher remains
        rec.remove();
        assertThat(store.watcherCount()).isZero();
    }

    @Test
    void historyKeepsTheLastThousandEvents() {
        for (int i = 0; i < 1005; i++) {
            store.set("/k", false, Integer.toString(i), 0, false, NOW);
        }
        error(() -> store.watch("/k", false, false, 5), V2Error.EVENT_INDEX_CLEARED,
                "the requested history has been cleared [6/5]", 1005);
        assertThat(next(store.watch("/k", false, false, 6)).node().value()).isEqualTo("5");
    }

    @Test
    void snapshotRestoresAnEqualStore() {
        store.set("/a/b", false, "1", NOW + 100 * SEC, false, NOW);
        store.set("/d", true, "", 0, false, NOW);
        store.create("/q", false, "x", true, 0, NOW);
        store.delete("/d", true, false, NOW);
        byte[] snap = store.save();
        V2Store copy = V2Store.fromSnapshot(snap);
        assertThat(copy.save()).isEqualTo(snap);
        assertThat(copy.index()).isEqualTo(store.index());
        assertThat(copy.hasTtlKeys()).isTrue();
        assertThat(copy.get("/", true, true, NOW)).isEqualTo(store.get("/", true, true, NOW));
        // the restored history answers watches, and both stores evolve identically
        assertThat(next(copy.watch("/a/b", false, false, 1)).node().value()).isEqualTo("1");
        copy.deleteExpiredKeys(NOW + 100 * SEC);
        store.deleteExpiredKeys(NOW + 100 * SEC);
        assertThat(copy.save()).isEqualTo(store.save());
        error(() -> copy.set("/1", false, "", 0, false, NOW), V2Error.ROOT_READ_ONLY, "/", 5);
    }

    @Test
    void applierMapsRequestsLikeEtcd() {
        V2Request put = new V2Request(1, "PUT", "/k", "v", false, "", 0, null, 0, false, 0, false, false, false,
                NOW, false, null);
        assertThat(V2RequestApplier.apply(store, put).action()).isEqualTo("set");
        V2Request cas = new V2Request(2, "PUT", "/k", "w", false, "v", 0, null, 0, false, 0, false, false, false,
                NOW, false, null);
        assertThat(V2RequestApplier.apply(store, cas).action()).isEqualTo("compareAndSwap");
        V2Request upd = new V2Request(3, "PUT", "/k", "x", false, "", 0, true, 0, false, 0, false, false, false,
                NOW, false, null);
        assertThat(V2RequestApplier.apply(store, upd).action()).isEqualTo("update");
        V2Request create = new V2Request(4, "PUT", "/n", "x", false, "", 0, false, 0, false, 0, false, false,
                false, NOW, false, null);
        assertThat(V2RequestApplier.apply(store, create).action()).isEqualTo("create");
        V2Request post = new V2Request(5, "POST", "/q", "x", false, "", 0, null, 0, false, 0, false, false, false,
                NOW, false, null);
        assertThat(V2RequestApplier.apply(store, post).node().key()).isEqualTo("/q/00000000000000000005");
        V2Request cad = new V2Request(6, "DELETE", "/k", "", false, "x", 0, null, 0, false, 0, false, false,
                false, NOW, false, null);
        assertThat(V2RequestApplier.apply(store, cad).action()).isEqualTo("compareAndDelete");
        assertThat(V2RequestApplier.apply(store, V2Request.sync(7, NOW))).isNull();
        assertThat(List.of(store.index())).containsExactly(6L);
    }

    private static V2Event next(V2Watcher w) {
        try {
            V2Event e = w.next(5_000);
            assertThat(e).as("an event within 5s").isNotNull();
            return e;
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    private static V2Event poll(V2Watcher w) {
        try {
            return w.next(0);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
