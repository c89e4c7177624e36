package io.etcdj.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.Permission.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keys and ranges a set of granted permissions covers, as etcd's permission cache decides. */
class AuthKeyPermissionsTest {
    private static final String OPEN = "\0";

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Permission perm(Type t, String key, String end) {
        return Permission.newBuilder().setPermType(t).setKey(b(key)).setRangeEnd(b(end)).build();
    }

    private static boolean permits(List<Permission> perms, Type t, String key, String end) {
        return KeyPermissions.of(perms, t).permits(b(key), b(end));
    }

    @Test
    void aSingleKeyPermissionCoversThatKeyOnly() {
        List<Permission> p = List.of(perm(Type.READ, "/a", ""));
        assertThat(permits(p, Type.READ, "/a", "")).isTrue();
        assertThat(permits(p, Type.READ, "/ab", "")).isFalse();
        assertThat(permits(p, Type.READ, "/a", "/a\0")).as("the range holding just /a").isTrue();
        assertThat(permits(p, Type.READ, "/a", "/b")).isFalse();
        assertThat(permits(p, Type.WRITE, "/a", "")).as("READ grants no WRITE").isFalse();
    }

    @Test
    void aPrefixPermissionCoversKeysAndSubRangesInsideIt() {
        List<Permission> p = List.of(perm(Type.READ, "/pre/", "/pre0")); // etcdctl --prefix /pre/
        assertThat(permits(p, Type.READ, "/pre/x", "")).isTrue();
        assertThat(permits(p, Type.READ, "/pre/", "/pre0")).isTrue();
        assertThat(permits(p, Type.READ, "/pre/a", "/pre/b")).isTrue();
        assertThat(permits(p, Type.READ, "/pre0", "")).as("range end excluded").isFalse();
        assertThat(permits(p, Type.READ, "/pre", "/pre0")).as("starts before the prefix").isFalse();
        assertThat(permits(p, Type.READ, "/pre/", OPEN)).as("open-ended goes beyond").isFalse();
    }

    @Test
    void anOpenEndedPermissionCoversEverythingFromItsKey() {
        List<Permission> p = List.of(perm(Type.WRITE, "/open", OPEN));
        assertThat(permits(p, Type.WRITE, "/open", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "\u00ff\u00ff", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "/open", OPEN)).isTrue();
        assertThat(permits(p, Type.WRITE, "/opem", OPEN)).isFalse();
        assertThat(permits(p, Type.WRITE, "/a", "")).isFalse();
    }

    @Test
    void adjacentAndOverlappingPermissionsTogetherCoverARange() {
        List<Permission> p = List.of(perm(Type.READ, "a", "c"), perm(Type.READWRITE, "b", "e"),
                perm(Type.READ, "e", ""));
        assertThat(permits(p, Type.READ, "a", "e")).isTrue();
        assertThat(permits(p, Type.READ, "a", "e\0")).as("the single key e closes the range").isTrue();
        assertThat(permits(p, Type.READ, "a", "f")).as("gap after e").isFalse();
        assertThat(permits(p, Type.WRITE, "b", "e")).isTrue();
        assertThat(permits(p, Type.WRITE, "a", "c")).isFalse();
    }

    @Test
    void readWriteCountsForBothAndNothingGrantedPermitsNothing() {
        List<Permission> p = List.of(perm(Type.READWRITE, "k", ""));
        assertThat(permits(p, Type.READ, "k", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "k", "")).isTrue();
        assertThat(permits(List.of(), Type.READ, "k", "")).isFalse();
        assertThat(permits(List.of(), Type.READ, "", OPEN)).isFalse();
    }

    @Test
    void everyKeyIsTheRangeFromTheNulKeyOpenEnded() {
        // etcdctl's --from-key "" sends (and grants) the key "\0"
        List<Permission> all = List.of(perm(Type.READ, "\0", OPEN));
        assertThat(permits(all, Type.READ, "\0", OPEN)).isTrue();
        assertThat(permits(all, Type.READ, "a", "")).isTrue();
        // etcd's order puts the empty string above every key: an empty begin is "beyond the end"
        assertThat(permits(List.of(perm(Type.READ, "", OPEN)), Type.READ, "\0", OPEN)).isFalse();
    }

    /**
     * Ranges whose end does not sort above their key, recorded from etcd 3.4.23 (`etcdctl get K E`
     * as a user holding exactly these permissions of one role): etcd judges them by a walk of its
     * red-black interval tree, so the answers follow the tree's shape, not any rule about keys.
     */
    @Test
    void invertedAndEmptyRangesGetEtcdsAnswers() {
        List<Permission> role = List.of(perm(Type.READ, "a", "c"), perm(Type.READ, "e", "g"),
                perm(Type.READ, "k", "m"), perm(Type.READ, "p", ""), perm(Type.READ, "s", "u"),
                perm(Type.READ, "w", "x"), perm(Type.READ, "y", OPEN));
        Set<String> permitted = Set.of(("ba ea eb ec ed fa fb fc fd fe kf kg kh lf lg lh lk pf pg "
                + "ph pk pl pm pn sq tq ts wq ws wt wu yx zx zy aa bb ee ff kk ll pp ss tt ww yy zz").split(" "));
        String keys = "abcdefghklmnpqstuwxyz";
        KeyPermissions granted = KeyPermissions.of(role, Type.READ);
        for (char k : keys.toCharArray()) {
            for (char e : keys.toCharArray()) {
                if (k >= e) {
                    String pair = "" + k + e;
                    assertThat(granted.permits(b("" + k), b("" + e))).as("get %s %s", k, e)
                            .isEqualTo(permitted.contains(pair));
                }
            }
        }
    }

    /**
     * For every well-formed range (its end above its key) etcd's tree answers what the union of the
     * intervals covers. Seeded: -Dauthperm.seed=S replays a run.
     */
    @Test
    void wellFormedRangesAreCoveredExactlyByTheUnionOfThePermissions() {
        long seed = Long.getLong("authperm.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            List<Permission> perms = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                String key = randomKey(random);
                String end = switch (random.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> OPEN;
                    default -> key + randomKey(random);
                };
                perms.add(perm(Type.READ, key, end));
            }
            String key = randomKey(random);
            String end = random.nextInt(4) == 0 ? OPEN : key + randomKey(random);
            assertThat(permits(perms, Type.READ, key, end)).as("seed %d round %d: %s covers [%s, %s)", seed, round,
                    perms, key, end).isEqualTo(unionCovers(perms, key, end));
        }
    }

    private static String randomKey(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            b.append((char) ('a' + random.nextInt(4)));
        }
        return b.toString();
    }

    /** The plain answer: sweep the sorted intervals, extending the covered prefix of [key, end). */
    private static boolean unionCovers(List<Permission> perms, String key, String end) {
        List<String[]> ivs = new ArrayList<>();
        for (Permission p : perms) {
            String k = p.getKey().toStringUtf8();
            String e = p.getRangeEnd().toStringUtf8();
            ivs.add(new String[] {k, e.isEmpty() ? k + "\0" : e.equals(OPEN) ? null : e});
        }
        ivs.sort((x, y) -> x[0].compareTo(y[0]));
        String wantedEnd = end.equals(OPEN) ? null : end;
        String covered = key;
        for (String[] iv : ivs) {
            if (iv[0].compareTo(covered) > 0) {
                return false;
            }
            if (iv[1] == null) {
                return true;
            }
            if (iv[1].compareTo(covered) > 0) {
                covered = iv[1];
                if (wantedEnd != null && covered.compareTo(wantedEnd) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
