package io.etcdj.server.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A seeded random scenario for etcd's v3 JSON gateway: valid requests with random combinations
 * of fields, and well-formed but slightly wrong ones (unknown enum names, missing keys, negative
 * and huge numbers, odd base64). The same seed gives the same steps as long as the answers fed
 * back through {@link GatewayStep#onReference()} are the same.
 *
 * <p>Invariants that keep the two servers' histories equal whatever the timing: every lease
 * lives for an hour or more, or is revoked in the step that granted it; a lock or campaign is
 * asked for only when it cannot block (free, or held by the same lease); KV keys start with
 * "k" and never reach the lock and election keys (which sort before "k"); the last steps enable
 * auth, use the tokens, and disable it again.
 */
final class GatewayRequestGenerator {
    static final List<String> SORT_ORDERS = List.of("NONE", "ASCEND", "DESCEND");
    static final List<String> SORT_TARGETS = List.of("KEY", "VERSION", "CREATE", "MOD", "VALUE");
    static final List<String> COMPARE_TARGETS = List.of("VERSION", "CREATE", "MOD", "VALUE", "LEASE");
    static final List<String> COMPARE_RESULTS = List.of("EQUAL", "GREATER", "LESS", "NOT_EQUAL");
    static final List<String> FILTERS = List.of("NOPUT", "NODELETE");
    static final List<String> PERMISSIONS = List.of("READ", "WRITE", "READWRITE");

    private static final List<String> KEYS = List.of("k", "ka", "kb", "k/x", "k/y", "k/\u00ff", "kc\u0000");
    static final List<Long> LEASES = List.of(1L, 2L, 3L, 77L, 9_000_000_000L);
    private static final List<String> LOCKS = List.of("Lock/a", "Lock/b");
    private static final List<String> ELECTIONS = List.of("Elect/a", "Elect/b");
    private static final List<String> USERS = List.of("u1", "u2", "nobody");
    private static final List<String> ROLES = List.of("r1", "r2", "none");

    private final Random rnd;
    private final int steps;
    private int made;
    private long revision = 1;
    /** Lock name → the lease holding it (as far as this scenario knows; never less than what is held). */
    private final Map<String, Long> locks = new HashMap<>();
    /** Election name → the leader key JSON of its leader's campaign. */
    private final Map<String, String> leaders = new HashMap<>();
    private final Map<String, Long> leaderLeases = new HashMap<>();
    private final List<GatewayStep> queued = new ArrayList<>();

    GatewayRequestGenerator(long seed, int steps) {
        this.rnd = new Random(seed);
        this.steps = steps;
    }

    boolean hasNext() {
        return made < steps || !queued.isEmpty();
    }

    /** The next step; the last ones (about a sixth, at least 12) are the auth phase. */
    GatewayStep next() {
        if (queued.isEmpty()) {
            int authPhase = Math.max(12, steps / 6);
            if (made == steps - authPhase) {
                queued.addAll(authPhase(authPhase));
            } else {
                GatewayStep step = learningRevisions(anyStep());
                queued.add(0, step); // before what it queued to follow it
            }
        }
        made++;
        return queued.remove(0);
    }

    private GatewayStep anyStep() {
        int r = rnd.nextInt(100);
        if (r < 22) {
            return range();
        } else if (r < 36) {
            return put();
        } else if (r < 42) {
            return deleteRange();
        } else if (r < 54) {
            return GatewayStep.unary("/v3/kv/txn", txn(0));
        } else if (r < 57) {
            return compaction();
        } else if (r < 68) {
            return lease();
        } else if (r < 74) {
            return watch();
        } else if (r < 78) {
            return maintenance();
        } else if (r < 88) {
            return authAdmin();
        } else if (r < 94) {
            return lockOrElection();
        }
        return slightlyWrong();
    }

    // ---------------------------------------------------------------- KV

    private GatewayStep range() {
        return GatewayStep.unary(pick("/v3/kv/range", "/v3/kv/range", "/v3beta/kv/range"), rangeRequest());
    }

    private String rangeRequest() {
        RandomGatewayJson j = json();
        String key = maybe(8, this::key, null);
        if (key != null) {
            j.bytes("key", key);
        }
        if (rnd.nextInt(3) > 0) {
            j.bytes("range_end", rangeEnd(key == null ? "k" : key));
        }
        if (rnd.nextInt(3) == 0) {
            j.int64("limit", pick(0L, 1L, 2L, 3L, -1L, Long.MAX_VALUE));
        }
        if (rnd.nextInt(4) == 0) {
            j.int64("revision", someRevision());
        }
        if (rnd.nextInt(3) == 0) {
            j.enumValue("sort_order", SORT_ORDERS, rnd.nextInt(3));
        }
        if (rnd.nextInt(3) == 0) {
            j.enumValue("sort_target", SORT_TARGETS, rnd.nextInt(5));
        }
        for (String flag : List.of("serializable", "keys_only", "count_only")) {
            if (rnd.nextInt(4) == 0) {
                j.bool(flag, rnd.nextInt(3) > 0);
            }
        }
        for (String bound : List.of("min_mod_revision", "max_mod_revision", "min_create_revision", "max_create_revision")) {
            if (rnd.nextInt(6) == 0) {
                j.int64(bound, someRevision());
            }
        }
        return j.object();
    }

    private GatewayStep put() {
        return GatewayStep.unary("/v3/kv/put", putRequest());
    }

    private String putRequest() {
        RandomGatewayJson j = json();
        j.bytes("key", maybe(20, this::key, ""));
        if (rnd.nextInt(5) > 0) {
            j.bytes("value", value());
        }
        if (rnd.nextInt(4) == 0) {
            j.int64("lease", pick(LEASES.get(rnd.nextInt(LEASES.size())), 0L, -1L, 424242L));
        }
        for (String flag : List.of("prev_kv", "ignore_value", "ignore_lease")) {
            if (rnd.nextInt(5) == 0) {
                j.bool(flag, rnd.nextInt(4) > 0);
            }
        }
        return j.object();
    }

    private GatewayStep deleteRange() {
        return GatewayStep.unary("/v3/kv/deleterange", deleteRangeRequest());
    }

    private String deleteRangeRequest() {
        RandomGatewayJson j = json();
        String key = maybe(15, this::key, null);
        if (key != null) {
            j.bytes("key", key);
        }
        if (rnd.nextInt(3) == 0) {
            j.bytes("range_end", rangeEnd(key == null ? "k" : key));
        }
        if (rnd.nextInt(3) == 0) {
            j.bool("prev_kv", rnd.nextInt(4) > 0);
        }
        return j.object();
    }

    private String txn(int depth) {
        RandomGatewayJson j = json();
        if (rnd.nextInt(5) > 0) {
            j.raw("compare", list(rnd.nextInt(4), this::compare));
        }
        for (String branch : List.of("success", "failure")) {
            if (rnd.nextInt(4) > 0) {
                j.raw(branch, list(rnd.nextInt(4), () -> requestOp(depth)));
            }
        }
        return j.object();
    }

    private String compare() {
        RandomGatewayJson j = json();
        int target = rnd.nextInt(5);
        if (rnd.nextInt(10) > 0) {
            j.enumValue("target", COMPARE_TARGETS, target);
        }
        if (rnd.nextInt(8) > 0) {
            j.enumValue("result", COMPARE_RESULTS, rnd.nextInt(4));
        }
        j.bytes("key", maybe(20, this::key, ""));
        if (rnd.nextInt(5) == 0) {
            j.bytes("range_end", rangeEnd("k"));
        }
        int union = rnd.nextInt(8) == 0 ? rnd.nextInt(5) : target; // now and then not the target's own field
        switch (union) {
            case 0 -> j.int64("version", pick(0L, 1L, 2L, 5L, -1L));
            case 1 -> j.int64("create_revision", someRevision());
            case 2 -> j.int64("mod_revision", someRevision());
            case 3 -> j.bytes("value", value());
            default -> j.int64("lease", pick(0L, LEASES.get(0), LEASES.get(1)));
        }
        return j.object();
    }

    private String requestOp(int depth) {
        int r = rnd.nextInt(depth < 2 ? 10 : 9);
        RandomGatewayJson j = json();
        if (r < 3) {
            j.raw("request_range", rangeRequest());
        } else if (r < 6) {
            j.raw("request_put", putRequest());
        } else if (r < 8) {
            j.raw("request_delete_range", deleteRangeRequest());
        } else if (r < 9) {
            // an empty op, a well-formed but useless request
        } else {
            j.raw("request_txn", txn(depth + 1));
        }
        return j.object();
    }

    private GatewayStep compaction() {
        RandomGatewayJson j = json();
        long target = switch (rnd.nextInt(5)) {
            case 0 -> revision; // current
            case 1 -> revision + 1 + rnd.nextInt(5); // future
            case 2 -> -1;
            default -> Math.max(1, revision - rnd.nextInt(10)); // past
        };
        j.int64("revision", target);
        if (rnd.nextBoolean()) {
            j.bool("physical", rnd.nextBoolean());
        }
        return GatewayStep.unary("/v3/kv/compaction", j.object());
    }

    // ---------------------------------------------------------------- leases

    private GatewayStep lease() {
        long id = LEASES.get(rnd.nextInt(LEASES.size()));
        return switch (rnd.nextInt(8)) {
            case 0, 1 -> GatewayStep.unary("/v3/lease/grant",
                    json().int64("TTL", pick(3600L, 86_400L, 9_000_000_001L)).int64("ID", id).object());
            case 2 -> GatewayStep.unary("/v3/lease/grant", json().int64("TTL", pick(3600L, 7200L)).object())
                    .kind(GatewayStep.Kind.GRANT_ANY_ID).masking("ID");
            case 3 -> GatewayStep.unary(pick("/v3/lease/revoke", "/v3/kv/lease/revoke"), json().int64("ID", id).object())
                    .then(r -> released(id));
            case 4 -> GatewayStep.unary(pick("/v3/lease/timetolive", "/v3/kv/lease/timetolive"),
                    json().int64("ID", id).bool("keys", rnd.nextBoolean()).object()).masking("TTL");
            case 5 -> GatewayStep.unary(pick("/v3/lease/leases", "/v3/kv/lease/leases"), "{}");
            case 6 -> GatewayStep.unary("/v3/lease/keepalive", json().int64("ID", id).object());
            default -> shortLease(id);
        };
    }

    /** A lease that would expire within seconds (TTL at or below the minimum): granted, then revoked at once. */
    private GatewayStep shortLease(long id) {
        long shortId = 1000 + id;
        queued.add(GatewayStep.unary("/v3/lease/revoke", json().int64("ID", shortId).object()));
        return GatewayStep.unary("/v3/lease/grant", json().int64("TTL", pick(0L, 1L, -5L)).int64("ID", shortId).object());
    }

    // ---------------------------------------------------------------- watch

    private GatewayStep watch() {
        List<String> creates = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        int decoded = 0;
        for (int i = 0; i < n; i++) {
            RandomGatewayJson create = json();
            watchCreate(create);
            creates.add("{\"create_request\":" + create.object() + "}");
            if (decoded == i && create.goDecodes()) {
                decoded++;
            }
        }
        List<GatewayStep> writes = new ArrayList<>();
        int w = rnd.nextInt(5);
        for (int i = 0; i < w; i++) {
            writes.add(switch (rnd.nextInt(4)) {
                case 0, 1 -> put();
                case 2 -> deleteRange();
                default -> GatewayStep.unary("/v3/kv/txn", txn(1));
            });
        }
        return GatewayStep.watch(String.join(pick("\n", "", " "), creates), decoded, writes);
    }

    private void watchCreate(RandomGatewayJson j) {
        String key = key();
        j.bytes("key", key);
        if (rnd.nextInt(3) == 0) {
            j.bytes("range_end", rangeEnd(key));
        }
        if (rnd.nextInt(3) == 0) {
            j.int64("start_revision", someRevision());
        }
        if (rnd.nextInt(4) == 0) {
            int f = rnd.nextInt(3);
            j.raw("filters", f == 2 ? "[\"NOPUT\",\"NODELETE\"]" : rnd.nextBoolean() ? "[" + f + "]" : "[\"" + FILTERS.get(f) + "\"]");
        }
        for (String flag : List.of("prev_kv", "progress_notify", "fragment")) {
            if (rnd.nextInt(4) == 0) {
                j.bool(flag, rnd.nextBoolean());
            }
        }
        if (rnd.nextInt(5) == 0) {
            j.int64("watch_id", pick(0L, 5L, 7L));
        }
    }

    // ---------------------------------------------------------------- maintenance, cluster

    private GatewayStep maintenance() {
        return switch (rnd.nextInt(6)) {
            // the backend's sizes, raft's index and the version differ by nature (etcd 3.5's on ours)
            case 0 -> GatewayStep.unary("/v3/maintenance/status", "{}")
                    .masking("dbSize", "dbSizeInUse", "leader", "raftIndex", "raftTerm", "raftAppliedIndex", "version");
            // a hash of the whole backend (another storage engine on ours)
            case 1 -> GatewayStep.unary("/v3/maintenance/hash", "{}").masking("hash");
            case 2 -> GatewayStep.unary("/v3/maintenance/hashkv", json().int64("revision", someRevision()).object());
            case 3 -> GatewayStep.unary("/v3/maintenance/alarm", json().enumValue("action", List.of("GET"), 0).object());
            case 4 -> GatewayStep.unary("/v3/maintenance/alarm", "{}");
            // member IDs hash the peer URLs, whose ports differ
            default -> GatewayStep.unary("/v3/cluster/member/list", "{}").masking("ID", "peerURLs", "clientURLs");
        };
    }

    // ---------------------------------------------------------------- auth

    private GatewayStep authAdmin() {
        String user = pick(USERS);
        String role = pick(ROLES);
        return switch (rnd.nextInt(14)) {
            case 0, 1 -> GatewayStep.unary("/v3/auth/user/add", json().string("name", user)
                    .string("password", "pw-" + user).object());
            case 2 -> GatewayStep.unary("/v3/auth/user/add", json().string("name", user)
                    .raw("options", "{\"no_password\":true}").object());
            case 3 -> GatewayStep.unary("/v3/auth/user/get", json().string("name", user).object());
            case 4 -> GatewayStep.unary("/v3/auth/user/list", "{}");
            case 5 -> GatewayStep.unary("/v3/auth/user/delete", json().string("name", user).object());
            case 6 -> GatewayStep.unary("/v3/auth/user/grant", json().string("user", user).string("role", role).object());
            case 7 -> GatewayStep.unary("/v3/auth/user/revoke", json().string("name", user).string("role", role).object());
            case 8 -> GatewayStep.unary("/v3/auth/role/add", json().string("name", role).object());
            case 9 -> GatewayStep.unary("/v3/auth/role/get", json().string("role", role).object());
            case 10 -> GatewayStep.unary("/v3/auth/role/list", "{}");
            case 11 -> GatewayStep.unary("/v3/auth/role/grant", json().string("name", role).raw("perm", permission()).object());
            case 12 -> GatewayStep.unary("/v3/auth/role/revoke", json().string("role", role).bytes("key", key())
                    .bytes("range_end", rangeEnd("k")).object());
            default -> GatewayStep.unary("/v3/auth/status", "{}");
        };
    }

    private String permission() {
        RandomGatewayJson j = json();
        j.enumValue("permType", PERMISSIONS, rnd.nextInt(3));
        String key = key();
        j.bytes("key", key);
        if (rnd.nextBoolean()) {
            j.bytes("range_end", rangeEnd(key));
        }
        return j.object();
    }

    /** Root set up, auth enabled, tokens used, auth disabled: {@code n} steps. */
    private List<GatewayStep> authPhase(int n) {
        List<GatewayStep> phase = new ArrayList<>(List.of(
                GatewayStep.unary("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"rootpw\"}"),
                GatewayStep.unary("/v3/auth/role/add", "{\"name\":\"root\"}"),
                GatewayStep.unary("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}"),
                GatewayStep.unary("/v3/auth/enable", "{}"),
                authenticate("root", "rootpw"),
                authenticate("u1", "pw-u1"),
                GatewayStep.unary("/v3/auth/authenticate", "{\"name\":\"root\",\"password\":\"wrong\"}")));
        while (phase.size() < n - 2) {
            String who = pick("root", "u1", null);
            GatewayStep s = switch (rnd.nextInt(6)) {
                case 0, 1 -> range();
                case 2 -> put();
                case 3 -> deleteRange();
                case 4 -> GatewayStep.unary("/v3/kv/txn", txn(1));
                default -> authAdmin();
            };
            phase.add(learningRevisions(s).as(who));
        }
        phase.add(GatewayStep.unary("/v3/auth/disable", "{}").as("root"));
        phase.add(GatewayStep.unary("/v3/auth/status", "{}"));
        return phase;
    }

    private GatewayStep authenticate(String user, String password) {
        return new GatewayStep(GatewayStep.Kind.AUTHENTICATE, "/v3/auth/authenticate",
                "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", Set.of("token"), user,
                List.of(), 0, r -> { });
    }

    // ---------------------------------------------------------------- lock, election

    private GatewayStep lockOrElection() {
        long lease = LEASES.get(rnd.nextInt(3));
        String lock = pick(LOCKS);
        String election = pick(ELECTIONS);
        switch (rnd.nextInt(7)) {
            case 0: {
                Long holder = locks.get(lock);
                if (holder != null && holder != lease) {
                    return GatewayStep.unary("/v3/lock/unlock", json().bytes("key", lockKey(lock, holder)).object())
                            .then(r -> locks.remove(lock));
                }
                return GatewayStep.unary("/v3/lock/lock", json().bytes("name", lock).int64("lease", lease).object())
                        .then(r -> {
                            if (r instanceof Map<?, ?> m && m.containsKey("key")) {
                                locks.put(lock, lease);
                            }
                        });
            }
            case 1:
                return GatewayStep.unary("/v3/lock/unlock", json().bytes("key", lockKey(lock, lease)).object())
                        .then(r -> {
                            if (Long.valueOf(lease).equals(locks.get(lock))) {
                                locks.remove(lock);
                            }
                        });
            case 2: {
                Long leader = leaderLeases.get(election);
                if (leader != null && leader != lease) {
                    return GatewayStep.unary("/v3/election/leader", json().bytes("name", election).object());
                }
                return GatewayStep.unary("/v3/election/campaign", json().bytes("name", election).int64("lease", lease)
                        .bytes("value", value()).object()).then(r -> campaigned(election, lease, r));
            }
            case 3:
                return GatewayStep.unary("/v3/election/leader", json().bytes("name", election).object());
            case 4: {
                // never lease 0: etcd would make the call a session of its own, a lease of a random ID
                String leader = leaders.getOrDefault(election, "{\"name\":\"" + json().base64(election)
                        + "\",\"rev\":\"1\",\"lease\":\"1\"}");
                return GatewayStep.unary("/v3/election/proclaim", "{\"leader\":" + leader + ",\"value\":\""
                        + json().base64(value()) + "\"}");
            }
            case 5: {
                String leader = leaders.get(election);
                if (leader == null || rnd.nextInt(4) == 0) {
                    return GatewayStep.unary("/v3/election/resign", pick("{}", "{\"leader\":{\"name\":\""
                            + json().base64(election) + "\",\"lease\":\"2\"}}"));
                }
                return GatewayStep.unary("/v3/election/resign", "{\"leader\":" + leader + "}").then(r -> {
                    leaders.remove(election);
                    leaderLeases.remove(election);
                });
            }
            default:
                if (!leaders.containsKey(election)) {
                    return GatewayStep.unary("/v3/election/leader", json().bytes("name", election).object());
                }
                return GatewayStep.unary("/v3/election/observe", json().bytes("name", election).object())
                        .kind(GatewayStep.Kind.FIRST_MESSAGE);
        }
    }

    private void campaigned(String election, long lease, Object reply) {
        if (reply instanceof Map<?, ?> m && m.get("leader") instanceof Map<?, ?> leader) {
            leaders.put(election, "{\"name\":\"" + leader.get("name") + "\",\"key\":\"" + leader.get("key")
                    + "\",\"rev\":\"" + leader.get("rev") + "\",\"lease\":\"" + leader.get("lease") + "\"}");
            leaderLeases.put(election, lease);
        }
    }

    /** A revoked lease no longer holds a lock or leads an election. */
    private void released(long lease) {
        locks.values().removeIf(l -> l == lease);
        leaderLeases.entrySet().removeIf(e -> {
            boolean gone = e.getValue() == lease;
            if (gone) {
                leaders.remove(e.getKey());
            }
            return gone;
        });
    }

    private static String lockKey(String name, long lease) {
        return name + "/" + Long.toHexString(lease);
    }

    // ---------------------------------------------------------------- slightly wrong

    private GatewayStep slightlyWrong() {
        // not lease grant, lock nor campaign: a lease of ID 0 would get a random ID, a short TTL would expire
        String path = pick("/v3/kv/range", "/v3/kv/put", "/v3/kv/deleterange", "/v3/kv/txn", "/v3/kv/compaction",
                "/v3/lease/revoke", "/v3/lease/timetolive", "/v3/auth/user/add", "/v3/auth/role/grant",
                "/v3/election/proclaim", "/v3/election/resign", "/v3/lock/unlock");
        String k = "\"key\":\"" + json().base64(key()) + "\"";
        return GatewayStep.unary(path, pick("{}", "{" + k + ",\"sort_order\":\"UPWARDS\"}",
                "{" + k + ",\"sort_target\":\"SIZE\"}", "{" + k + ",\"limit\":\"-9223372036854775808\"}",
                "{" + k + ",\"revision\":\"9223372036854775807\"}", "{" + k + ",\"revision\":-9223372036854775808}",
                "{" + k + ",\"limit\":9223372036854775807}", "{" + k + ",\"value\":\"dg\"}", "{" + k + ",\"value\":\"d-_w\"}",
                "{\"compare\":[{\"target\":\"SIZE\"," + k + "}]}", "{\"compare\":[{\"result\":\"ABOUT\"," + k + "}]}",
                "{\"compare\":[{" + k + "}],\"success\":[{}]}", "{\"TTL\":\"-1\",\"ID\":\"-1\"}", "{\"ID\":0}",
                "{\"TTL\":9223372036854775807,\"ID\":5}", "{\"name\":\"\"}", "{\"perm\":{\"permType\":\"ALL\"}}",
                "{\"key\":\"bG9jaw\",\"lease\":\"-1\"}", "{" + k + ",\"lease\":\"18446744073709551615\"}",
                "{" + k + ",\"prev_kv\":false,\"ignore_value\":false}", "{\"revision\":\"0\",\"physical\":true}"));
    }

    // ---------------------------------------------------------------- bookkeeping and choices

    /** Follows the store's revision from the reference's answers, for revisions worth asking about. */
    private GatewayStep learningRevisions(GatewayStep s) {
        Consumer<Object> before = s.onReference();
        return s.then(r -> {
            before.accept(r);
            if (r instanceof Map<?, ?> m && m.get("header") instanceof Map<?, ?> h && h.get("revision") instanceof String rev) {
                revision = Math.max(revision, Long.parseLong(rev));
            }
        });
    }

    private long someRevision() {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> revision;
            case 2 -> revision + 1 + rnd.nextInt(3);
            case 3 -> -1 - rnd.nextInt(3);
            default -> 1 + rnd.nextInt((int) Math.max(1, revision));
        };
    }

    private String key() {
        return pick(KEYS);
    }

    /** After {@code key}: the prefix end, "\0" (every key from it), another key, or one before it (an empty range). */
    private String rangeEnd(String key) {
        return switch (rnd.nextInt(5)) {
            case 0 -> "\u0000";
            case 1 -> key.charAt(key.length() - 1) == '\u00ff' ? "\u0000"
                    : key.substring(0, key.length() - 1) + (char) (key.charAt(key.length() - 1) + 1);
            case 2 -> "k0";
            default -> pick(KEYS);
        };
    }

    private String value() {
        StringBuilder v = new StringBuilder();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            v.append((char) (rnd.nextInt(6) == 0 ? rnd.nextInt(256) : 'a' + rnd.nextInt(26)));
        }
        return v.toString();
    }

    private RandomGatewayJson json() {
        return new RandomGatewayJson(rnd);
    }

    private String list(int n, Supplier<String> element) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(element.get());
        }
        return "[" + String.join(",", l) + "]";
    }

    /** {@code thing} but one time in {@code oneIn}, then {@code otherwise}. */
    private <T> T maybe(int oneIn, Supplier<T> thing, T otherwise) {
        return rnd.nextInt(oneIn) == 0 ? otherwise : thing.get();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    private <T> T pick(List<T> choices) {
        return choices.get(rnd.nextInt(choices.size()));
    }
}
