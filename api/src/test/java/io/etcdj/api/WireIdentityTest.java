package io.etcdj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our generated API is wire-identical to an independent one: jetcd's generated classes
 * ({@code io.etcd:jetcd-grpc}), which real clients use against etcd.
 *
 * <p>Scenario, for every message type both sides define (matched by full proto name): fill one
 * side's message with random values in every field, encode it, decode it with the other side's
 * class, and require the same value in every field number, nothing left unrecognised, the same
 * bytes when re-encoded, and an equal message after the way back. Then the same starting from
 * the other side. The schemas themselves (field names, types, enums, services, methods and
 * their input/output types) must match too, apart from the explicit allow-lists below.
 *
 * <p>Randomness is seeded; a failure names the seed. Replay with
 * {@code mvn -B -q -pl api test -Dtest=WireIdentityTest -Dwire.seed=<seed>}.
 */
class WireIdentityTest {

    static final long SEED = Long.getLong("wire.seed", System.nanoTime());
    static final int ROUNDS_PER_MESSAGE = 12;

    static final ProtoSchema OURS = ProtoSchema.of("etcdj", List.of(
            io.etcdj.api.etcdserverpb.RpcProto.getDescriptor(),
            io.etcdj.api.v3lockpb.V3LockProto.getDescriptor(),
            io.etcdj.api.v3electionpb.V3ElectionProto.getDescriptor()));

    static final ProtoSchema JETCD = ProtoSchema.of("jetcd", List.of(
            io.etcd.jetcd.api.JetcdProto.getDescriptor(),
            io.etcd.jetcd.api.lock.JetcdProto.getDescriptor(),
            io.etcd.jetcd.api.ElectionOuterClass.getDescriptor()));

    // The allow-lists. jetcd 0.8.7 ships older etcd protos (roughly etcd 3.3's API plus MemberPromote
    // and learners), so etcd 3.5 additions are missing there; every entry must really be missing,
    // the tests fail on a stale entry as much as on a new difference.

    /** Messages of etcd 3.5 that jetcd does not define (nothing to compare them to). */
    static final Set<String> ONLY_OURS = Set.of(
            "authpb.UserAddOptions",               // user add --no-password (etcd 3.4)
            "etcdserverpb.AuthStatusRequest",      // Auth/AuthStatus (etcd 3.5)
            "etcdserverpb.AuthStatusResponse",
            "etcdserverpb.DowngradeRequest",       // Maintenance/Downgrade (etcd 3.5)
            "etcdserverpb.DowngradeResponse",
            "etcdserverpb.LeaseCheckpoint",        // raft-internal lease checkpoints (etcd 3.4)
            "etcdserverpb.LeaseCheckpointRequest",
            "etcdserverpb.LeaseCheckpointResponse",
            "etcdserverpb.LeaseLeasesRequest",     // Lease/LeaseLeases (etcd 3.3)
            "etcdserverpb.LeaseLeasesResponse",
            "etcdserverpb.LeaseStatus");

    /** Messages jetcd defines that etcd 3.5 does not: none. */
    static final Set<String> ONLY_JETCD = Set.of();

    /** Enums of etcd 3.5 that jetcd does not define. */
    static final Set<String> ENUMS_ONLY_OURS = Set.of(
            "etcdserverpb.DowngradeRequest.DowngradeAction");

    /** Enum values ("Enum=number") of etcd 3.5 that jetcd lacks. */
    static final Set<String> ENUM_VALUES_ONLY_OURS = Set.of(
            "etcdserverpb.AlarmType=2",              // CORRUPT alarm (etcd 3.3)
            "etcdserverpb.Compare.CompareTarget=4"); // LEASE compare target (etcd 3.3)

    /** Fields ("Message#number") of etcd 3.5 that jetcd lacks; the random crossing leaves them unset. */
    static final Set<String> FIELDS_ONLY_OURS = Set.of(
            "authpb.User#4",                                // options (no_password user)
            "etcdserverpb.AuthUserAddRequest#3",            // options
            "etcdserverpb.AuthUserAddRequest#4",            // hashedPassword
            "etcdserverpb.AuthUserChangePasswordRequest#3", // hashedPassword
            "etcdserverpb.Compare#8",                       // lease compare target
            "etcdserverpb.HashKVResponse#4",                // hash_revision (etcd 3.5.5+)
            "etcdserverpb.MemberListRequest#1",             // linearizable
            "etcdserverpb.WatchCreateRequest#7",            // client-chosen watch_id
            "etcdserverpb.WatchCreateRequest#8",            // fragment
            "etcdserverpb.WatchResponse#7");                // fragment

    /** Methods ("Service/Method") of etcd 3.5 that jetcd lacks. */
    static final Set<String> METHODS_ONLY_OURS = Set.of(
            "etcdserverpb.Auth/AuthStatus",
            "etcdserverpb.Lease/LeaseLeases",
            "etcdserverpb.Maintenance/Downgrade");

    /**
     * Methods jetcd declares that etcd 3.5 does not serve: jetcd's own unary Watch/Progress. A real
     * etcd answers it with UNIMPLEMENTED (progress requests travel inside the Watch stream as
     * WatchRequest.progress_request), so we must not add it.
     */
    static final Set<String> METHODS_ONLY_JETCD = Set.of(
            "etcdserverpb.Watch/Progress");

    private static final SortedSet<String> compared = new TreeSet<>();

    @AfterAll
    static void report() {
        System.out.printf("wire identity (seed %d): compared %d message types round trip; ours %s, jetcd %s%n",
                SEED, compared.size(), ProtoSchema.summary(OURS), ProtoSchema.summary(JETCD));
    }

    @Test
    void bothSidesDefineTheSameMessagesApartFromTheAllowLists() {
        assertThat(difference(OURS.messages.keySet(), JETCD.messages.keySet()))
                .as("messages we define that jetcd lacks").isEqualTo(new TreeSet<>(ONLY_OURS));
        assertThat(difference(JETCD.messages.keySet(), OURS.messages.keySet()))
                .as("messages jetcd defines that we lack").isEqualTo(new TreeSet<>(ONLY_JETCD));
    }

    @Test
    void commonMessagesHaveTheSameFields() {
        SortedSet<String> onlyOurs = new TreeSet<>();
        List<String> different = new ArrayList<>();
        for (String name : common(OURS.messages.keySet(), JETCD.messages.keySet())) {
            Map<Integer, String> ours = SchemaShape.of(OURS.messages.get(name));
            Map<Integer, String> theirs = SchemaShape.of(JETCD.messages.get(name));
            ours.forEach((number, shape) -> {
                if (!theirs.containsKey(number)) {
                    onlyOurs.add(name + "#" + number);
                } else if (!shape.equals(theirs.get(number))) {
                    different.add(name + "#" + number + ": ours " + shape + ", jetcd " + theirs.get(number));
                }
            });
            theirs.forEach((number, shape) -> {
                if (!ours.containsKey(number)) {
                    different.add(name + "#" + number + ": only jetcd has " + shape);
                }
            });
        }
        assertThat(different).as("fields that differ").isEmpty();
        assertThat(onlyOurs).as("fields jetcd lacks").isEqualTo(new TreeSet<>(FIELDS_ONLY_OURS));
    }

    @Test
    void enumsAreIdentical() {
        assertThat(difference(OURS.enums.keySet(), JETCD.enums.keySet()))
                .as("enums jetcd lacks").isEqualTo(new TreeSet<>(ENUMS_ONLY_OURS));
        assertThat(difference(JETCD.enums.keySet(), OURS.enums.keySet())).as("enums only jetcd has").isEmpty();
        SortedSet<String> valuesOnlyOurs = new TreeSet<>();
        for (String name : common(OURS.enums.keySet(), JETCD.enums.keySet())) {
            Map<Integer, String> ours = SchemaShape.of(OURS.enums.get(name));
            Map<Integer, String> theirs = SchemaShape.of(JETCD.enums.get(name));
            difference(ours.keySet(), theirs.keySet()).forEach(n -> valuesOnlyOurs.add(name + "=" + n));
            assertThat(difference(theirs.keySet(), ours.keySet())).as("values only jetcd has in %s", name).isEmpty();
            for (Integer number : common(ours.keySet(), theirs.keySet())) {
                assertThat(ours.get(number)).as("name of %s=%d", name, number).isEqualTo(theirs.get(number));
            }
        }
        assertThat(valuesOnlyOurs).as("enum values jetcd lacks").isEqualTo(new TreeSet<>(ENUM_VALUES_ONLY_OURS));
    }

    @Test
    void servicesAndMethodsMatchApartFromTheAllowLists() {
        assertThat(OURS.services.keySet()).containsExactlyElementsOf(JETCD.services.keySet());
        SortedSet<String> onlyOurs = new TreeSet<>();
        SortedSet<String> onlyJetcd = new TreeSet<>();
        for (String service : OURS.services.keySet()) {
            Map<String, String> ours = SchemaShape.of(OURS.services.get(service));
            Map<String, String> theirs = SchemaShape.of(JETCD.services.get(service));
            difference(ours.keySet(), theirs.keySet()).forEach(m -> onlyOurs.add(service + "/" + m));
            difference(theirs.keySet(), ours.keySet()).forEach(m -> onlyJetcd.add(service + "/" + m));
            for (String method : common(ours.keySet(), theirs.keySet())) {
                assertThat(ours.get(method)).as("%s/%s", service, method).isEqualTo(theirs.get(method));
            }
        }
        assertThat(onlyOurs).as("methods jetcd lacks").isEqualTo(new TreeSet<>(METHODS_ONLY_OURS));
        assertThat(onlyJetcd).as("methods only jetcd declares").isEqualTo(new TreeSet<>(METHODS_ONLY_JETCD));
    }

    @TestFactory
    Stream<DynamicTest> randomMessagesCrossBetweenOurClassesAndJetcds() {
        SortedSet<String> names = common(OURS.messages.keySet(), JETCD.messages.keySet());
        assertThat(names).as("messages to compare").hasSizeGreaterThan(100);
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            try {
                crossRandomMessages(name);
                compared.add(name);
            } catch (AssertionError | RuntimeException | InvalidProtocolBufferException e) {
                throw new AssertionError(name + " failed with seed " + SEED
                        + " (replay: mvn -B -q -pl api test -Dtest=WireIdentityTest -Dwire.seed=" + SEED + ")", e);
            }
        }));
    }

    private static void crossRandomMessages(String name) throws InvalidProtocolBufferException {
        Message ourDefault = ProtoSchema.defaultInstance(OURS.messages.get(name));
        Message theirDefault = ProtoSchema.defaultInstance(JETCD.messages.get(name));
        RandomMessages random = new RandomMessages(SEED ^ name.hashCode(),
                field -> FIELDS_ONLY_OURS.contains(field.getContainingType().getFullName() + "#" + field.getNumber()));
        for (int round = 0; round < ROUNDS_PER_MESSAGE; round++) {
            Message ours = random.fill(ourDefault.newBuilderForType(), round).build();
            cross(ours, theirDefault, ourDefault, "ours -> jetcd -> ours, round " + round);
            Message theirs = random.fill(theirDefault.newBuilderForType(), round).build();
            cross(theirs, ourDefault, theirDefault, "jetcd -> ours -> jetcd, round " + round);
        }
    }

    /** Encodes {@code original}, decodes it as {@code other}'s type, compares, and goes back. */
    private static void cross(Message original, Message other, Message originalType, String leg)
            throws InvalidProtocolBufferException {
        byte[] bytes = original.toByteArray();
        Message decoded = other.getParserForType().parseFrom(bytes);
        assertThat(decoded.getClass()).isEqualTo(other.getClass());
        assertThat(FieldTree.of(decoded)).as("%s: fields after decoding", leg).isEqualTo(FieldTree.of(original));
        assertThat(decoded.toByteArray()).as("%s: re-encoded bytes", leg).isEqualTo(bytes);
        Message back = originalType.getParserForType().parseFrom(decoded.toByteArray());
        assertThat(back).as("%s: after the way back", leg).isEqualTo(original);
    }

    private static <T extends Comparable<T>> SortedSet<T> difference(Set<T> a, Set<T> b) {
        SortedSet<T> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static <T extends Comparable<T>> SortedSet<T> common(Set<T> a, Set<T> b) {
        SortedSet<T> result = new TreeSet<>(a);
        result.retainAll(b);
        return result;
    }
}
