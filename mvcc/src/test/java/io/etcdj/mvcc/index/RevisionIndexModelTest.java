package io.etcdj.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.etcdj.mvcc.SeededRuns;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.Revision;

/**
 * Seeded random histories of put / tombstone / restore / restoreTombstone / out-of-order put / compact /
 * keep / get / range / count applied both to {@link TreeRevisionIndex} and to {@link ReferenceIndex}, a
 * plain scan over {@link ListKeyIndexModel}s (the index's former list-based implementation). Every
 * answer, every failure and the index size must be equal after every step; after every compaction every
 * key is compared at every revision.
 *
 * <p>Replay one sequence: {@code mvn -B -ntp -q -o -pl mvcc -am test -Dtest=RevisionIndexModelTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmvcc.index.seed=<seed>}.
 */
class RevisionIndexModelTest {
    private static final int SEQUENCES = Integer.getInteger("mvcc.index.sequences", 300);
    private static final int STEPS = Integer.getInteger("mvcc.index.steps", 300);
    /** One- and two-byte keys over a, b, c and 0xc3 (above 0x7f, to exercise unsigned order). */
    private static final byte[][] KEYS = twoByteKeys(new byte[] {'a', 'b', 'c', (byte) 0xc3});
    /** Range bounds: the keys, bounds between them, and the empty key (last: it is no range end). */
    private static final byte[][] BOUNDS = bounds();

    @Test
    void randomHistoriesAnswerLikeTheModel() throws Exception {
        SeededRuns.run("mvcc.index.seed", SEQUENCES, this::runSequence);
    }

    private void runSequence(long seed) {
        Sequence s = new Sequence(new Random(seed));
        try {
            for (int step = 0; step < STEPS; step++) {
                s.step();
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + " step " + s.trace.size() + "; replay with -Dmvcc.index.seed="
                    + seed + "\n--- history:\n" + String.join("\n", s.trace), e);
        }
    }

    /** One random history: revisions only grow, as in the store; some operations are meant to fail. */
    private static final class Sequence {
        final Random random;
        /** This sequence's keys: a few, so that histories grow long, or many, so that tree nodes split. */
        final byte[][] keys;
        /** Small tree nodes, so that a few keys already split them; sometimes the default. */
        final TreeRevisionIndex index;
        final ReferenceIndex model = new ReferenceIndex();
        final List<String> trace = new ArrayList<>();
        long main;
        long sub;

        Sequence(Random random) {
            this.random = random;
            List<byte[]> shuffled = new ArrayList<>(Arrays.asList(KEYS));
            Collections.shuffle(shuffled, random);
            this.keys = shuffled.subList(0, 2 + random.nextInt(KEYS.length - 1)).toArray(byte[][]::new);
            int nodeCapacity = random.nextInt(5) == 0 ? ByteKeyBTree.DEFAULT_CAPACITY : 3 + random.nextInt(4);
            this.index = new TreeRevisionIndex(nodeCapacity);
            trace.add("node capacity " + nodeCapacity + ", " + keys.length + " keys");
        }

        /** The next revision: a new main revision, or (a multi-change transaction) the next sub. */
        Revision nextRevision() {
            if (main == 0 || random.nextInt(4) != 0) {
                main++;
                sub = 0;
            } else {
                sub++;
            }
            return new Revision(main, sub);
        }

        /** Any revision up to the newest, sometimes a little beyond. */
        long anyRev() {
            return random.nextInt(3) == 0 ? random.nextInt((int) main + 2) : Math.max(0, main + 1 - random.nextInt(6));
        }

        void step() {
            byte[] key = keys[random.nextInt(keys.length)];
            int op = random.nextInt(100);
            if (op < 28) {
                Revision rev = nextRevision();
                apply("put " + str(key) + " " + rev, () -> index.put(key, rev), () -> model.put(key, rev));
            } else if (op < 38) {
                Revision rev = nextRevision();
                apply("tombstone " + str(key) + " " + rev, () -> index.tombstone(key, rev),
                        () -> model.tombstone(key, rev));
            } else if (op < 45) {
                Revision created = new Revision(random.nextInt((int) main + 1), random.nextInt(3));
                Revision modified = nextRevision();
                long version = 1 + random.nextInt(6);
                apply("restore " + str(key) + " created " + created + " " + modified + " v" + version,
                        () -> index.restore(key, created, modified, version),
                        () -> model.restore(key, created, modified, version));
            } else if (op < 50) {
                Revision rev = nextRevision();
                apply("restoreTombstone " + str(key) + " " + rev, () -> index.restoreTombstone(key, rev),
                        () -> model.restoreTombstone(key, rev));
            } else if (op < 53) {
                Revision stale = new Revision(random.nextInt((int) main + 1), random.nextInt(3));
                apply("out-of-order put " + str(key) + " " + stale, () -> index.put(key, stale),
                        () -> model.put(key, stale));
            } else if (op < 60) {
                long at = anyRev();
                compare("compact " + at, () -> index.compact(at), () -> model.compact(at));
                compareEveryKeyAtEveryRevision();
            } else if (op < 65) {
                long at = anyRev();
                compare("keep " + at, () -> index.keep(at), () -> model.keep(at));
            } else if (op < 82) {
                long at = anyRev();
                compare("get " + str(key) + " at " + at, () -> describe(index.get(key, at)),
                        () -> describe(model.get(key, at)));
            } else if (op < 92) {
                KeyRange range = anyRange();
                long at = anyRev();
                int limit = random.nextInt(4);
                compare("range " + range + " at " + at + " limit " + limit,
                        () -> describe(index.range(range, at, limit)), () -> describe(model.range(range, at, limit)));
            } else {
                KeyRange range = anyRange();
                long at = anyRev();
                compare("count " + range + " at " + at, () -> index.count(range, at), () -> model.count(range, at));
            }
            assertThat(index.size()).as("size after " + trace.get(trace.size() - 1)).isEqualTo(model.size());
        }

        KeyRange anyRange() {
            byte[] key = BOUNDS[random.nextInt(BOUNDS.length)];
            return switch (random.nextInt(3)) {
                case 0 -> KeyRange.single(keys[random.nextInt(keys.length)]);
                case 1 -> KeyRange.of(key, new byte[] {0});
                default -> KeyRange.of(key, BOUNDS[random.nextInt(BOUNDS.length - 1)]);
            };
        }

        void compareEveryKeyAtEveryRevision() {
            for (byte[] key : KEYS) {
                for (long at = 0; at <= main + 1; at++) {
                    assertThat(describe(index.get(key, at))).as("get %s at %d", str(key), at)
                            .isEqualTo(describe(model.get(key, at)));
                }
            }
        }

        void apply(String what, Runnable onIndex, Runnable onModel) {
            compare(what, () -> {
                onIndex.run();
                return "done";
            }, () -> {
                onModel.run();
                return "done";
            });
        }

        void compare(String what, Supplier<Object> onIndex, Supplier<Object> onModel) {
            Object expected = outcome(onModel);
            Object actual = outcome(onIndex);
            trace.add(what + " -> " + expected);
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    /** The answer, or the failure's type and message. */
    private static Object outcome(Supplier<Object> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String describe(KeyRevision kr) {
        return kr == null ? "absent"
                : str(kr.key()) + "@" + kr.modified() + " created " + kr.created() + " v" + kr.version();
    }

    private static String describe(IndexRange r) {
        return r.keys().stream().map(RevisionIndexModelTest::describe).toList() + " of " + r.total();
    }

    private static byte[][] twoByteKeys(byte[] alphabet) {
        List<byte[]> keys = new ArrayList<>();
        for (byte first : alphabet) {
            keys.add(new byte[] {first});
            for (byte second : alphabet) {
                keys.add(new byte[] {first, second});
            }
        }
        return keys.toArray(byte[][]::new);
    }

    private static byte[][] bounds() {
        List<byte[]> bounds = new ArrayList<>(Arrays.asList(KEYS));
        bounds.addAll(List.of(bytes("az"), bytes("b\0"), bytes("c\u00ff"), new byte[] {(byte) 0xff}, new byte[0]));
        return bounds.toArray(byte[][]::new);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String str(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    /** The reference: every range is a scan of every key, checked with {@link KeyRange#contains}. */
    private static final class ReferenceIndex {
        final TreeMap<byte[], ListKeyIndexModel> keys = new TreeMap<>(Arrays::compareUnsigned);

        KeyRevision get(byte[] key, long atRev) {
            ListKeyIndexModel ki = keys.get(key);
            return ki == null ? null : ki.get(atRev);
        }

        IndexRange range(KeyRange range, long atRev, int limit) {
            List<KeyRevision> live = new ArrayList<>();
            for (Map.Entry<byte[], ListKeyIndexModel> e : keys.entrySet()) {
                KeyRevision kr = range.contains(e.getKey()) ? e.getValue().get(atRev) : null;
                if (kr != null) {
                    live.add(kr);
                }
            }
            return new IndexRange(limit <= 0 ? live : live.subList(0, Math.min(limit, live.size())), live.size());
        }

        int count(KeyRange range, long atRev) {
            return range(range, atRev, 0).total();
        }

        void put(byte[] key, Revision rev) {
            keys.computeIfAbsent(key, ListKeyIndexModel::new).put(rev);
        }

        void tombstone(byte[] key, Revision rev) {
            ListKeyIndexModel ki = keys.get(key);
            if (ki == null || !ki.isLive()) {
                throw new IllegalStateException("tombstone of a key that is not live");
            }
            ki.tombstone(rev);
        }

        void restore(byte[] key, Revision created, Revision modified, long version) {
            keys.computeIfAbsent(key, ListKeyIndexModel::new).restore(created, modified, version);
        }

        void restoreTombstone(byte[] key, Revision rev) {
            ListKeyIndexModel ki = keys.get(key);
            if (ki != null && ki.isLive()) {
                ki.tombstone(rev);
            }
        }

        Set<Revision> compact(long atRev) {
            Set<Revision> keep = new HashSet<>();
            for (ListKeyIndexModel ki : keys.values()) {
                ki.compact(atRev, keep);
            }
            keys.values().removeIf(ListKeyIndexModel::isEmpty);
            return keep;
        }

        Set<Revision> keep(long atRev) {
            Set<Revision> keep = new HashSet<>();
            for (ListKeyIndexModel ki : keys.values()) {
                ki.keep(atRev, keep);
            }
            return keep;
        }

        int size() {
            return keys.size();
        }
    }
}
