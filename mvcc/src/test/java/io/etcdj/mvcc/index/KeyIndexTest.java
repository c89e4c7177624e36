package io.etcdj.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.etcdj.mvcc.Revision;

class KeyIndexTest {
    private static Revision r(long main) {
        return Revision.of(main);
    }

    /** put@2, put@4, delete@6, put@8, put@10 (etcd's classic example shape). */
    private static KeyIndex history() {
        return KeyIndex.ofPut(new byte[] {'k'}, r(2)).put(r(4)).tombstone(r(6)).put(r(8)).put(r(10));
    }

    @Test
    void getAnswersPerGeneration() {
        KeyIndex ki = history();
        assertThat(ki.get(1)).isNull();
        assertThat(ki.get(3)).extracting(KeyRevision::modified, KeyRevision::created, KeyRevision::version)
                .containsExactly(r(2), r(2), 1L);
        assertThat(ki.get(5).version()).isEqualTo(2);
        assertThat(ki.get(6)).isNull();
        assertThat(ki.get(7)).isNull();
        assertThat(ki.get(9)).extracting(KeyRevision::modified, KeyRevision::created, KeyRevision::version)
                .containsExactly(r(8), r(8), 1L);
        assertThat(ki.get(100).version()).isEqualTo(2);
    }

    @Test
    void compactionInsideALiveGenerationKeepsItsNewestValue() {
        KeyIndex ki = history();
        Set<Revision> keep = new HashSet<>();
        ki = ki.compact(5, keep);
        assertThat(keep).containsExactly(r(4));
        assertThat(ki.get(5).version()).isEqualTo(2);
        assertThat(ki.get(6)).isNull();
    }

    @Test
    void compactionAtTheTombstoneDropsTheGeneration() {
        KeyIndex ki = history();
        Set<Revision> keep = new HashSet<>();
        ki = ki.compact(6, keep);
        assertThat(keep).isEmpty();
        assertThat(ki.generationCount()).isEqualTo(1);
        assertThat(ki.get(7)).isNull();
        assertThat(ki.get(10).version()).isEqualTo(2);
    }

    @Test
    void compactionPastEverythingOfADeletedKeyEmptiesIt() {
        KeyIndex ki = KeyIndex.empty(new byte[] {'k'}).put(r(1)).tombstone(r(2));
        Set<Revision> keep = new HashSet<>();
        assertThat(ki.compact(3, keep)).isNull();
        assertThat(keep).isEmpty();
    }

    @Test
    void keepMatchesCompactWithoutChangingAnything() {
        for (long at = 1; at <= 11; at++) {
            KeyIndex ki = history();
            Set<Revision> keep = new HashSet<>();
            ki.keep(at, keep);
            Set<Revision> compacted = new HashSet<>();
            ki.compact(at, compacted);
            assertThat(keep).as("at %d", at).isEqualTo(compacted);
        }
    }

    @Test
    void versionsSurviveCompactionAndRestore() {
        // put@8 compacted away; the value at 10 says created 8, version 2
        KeyIndex restored = KeyIndex.ofRestore(new byte[] {'k'}, r(8), r(10), 2);
        assertThat(restored.get(10)).extracting(KeyRevision::created, KeyRevision::version)
                .containsExactly(r(8), 2L);
        restored = restored.put(r(12));
        assertThat(restored.get(12).version()).isEqualTo(3);
    }
}
