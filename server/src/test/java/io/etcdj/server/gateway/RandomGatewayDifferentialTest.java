package io.etcdj.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.OpenResources;
import io.etcdj.testsupport.ReferenceEtcd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded random scenario ({@link GatewayRequestGenerator}) sent step by step to the reference
 * etcd 3.4.23's JSON gateway and to one member of ours (a child process with the same flags).
 * Both get the same requests in the same order, so their stores, revisions and errors stay in
 * step; each answer must match in status, Content-Type and the JSON body as a tree. Masked: the
 * header's cluster_id, member_id and raft_term, and what a step names (tokens, TTL countdowns,
 * IDs of leases granted with ID 0, backend sizes).
 *
 * <p>{@code -Drandgw.seed=N} replays a scenario, {@code -Drandgw.steps=N} sets its length; the
 * first difference fails the test with the seed, the step, both answers and the steps before.
 * {@code -Drandgw.seeds=N} (long local runs) plays seeds N in a row on the same two servers, so a
 * later one starts from what the earlier ones left: it replays with the same three properties.
 */
class RandomGatewayDifferentialTest {
    private static final long DEFAULT_SEED = 20261207L;
    private static final int DEFAULT_STEPS = 120;
    private static final Set<String> BY_NATURE = Set.of("cluster_id", "member_id", "raft_term");
    private static final Duration STREAM_DEADLINE = Duration.ofSeconds(15);
    /** How long the per-watch views may take to agree once both have seen the sentinel (unsynced watchers catch up every 100 ms). */
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    @RegisterExtension
    final OpenResources open = new OpenResources();

    private int refPort;
    private int ourPort;
    private final Map<String, String> refTokens = new HashMap<>();
    private final Map<String, String> ourTokens = new HashMap<>();
    private int stepNo;

    @Test
    void aRandomScenarioGetsTheSameAnswers() throws IOException {
        long seed = Long.getLong("randgw.seed", DEFAULT_SEED);
        int steps = Integer.getInteger("randgw.steps", DEFAULT_STEPS);
        System.out.println("RandomGatewayDifferentialTest: -Drandgw.seed=" + seed + " -Drandgw.steps=" + steps);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        ReferenceEtcd reference = ReferenceEtcd.builder().timeout(Duration.ofSeconds(60)).start();
        open.add(reference);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ReferenceEtcd ours = ReferenceEtcd.builder().launcher(java, "-cp", System.getProperty("java.class.path"),
                "io.etcdj.server.EtcdMain").timeout(Duration.ofSeconds(90)).start();
        open.add(ours);
        refPort = reference.clientPort();
        ourPort = ours.clientPort();

        int seeds = Integer.getInteger("randgw.seeds", 1);
        for (long s = seed; s < seed + seeds; s++) {
            scenario(s, steps, "-Drandgw.seed=" + seed + " -Drandgw.steps=" + steps
                    + (seeds > 1 ? " -Drandgw.seeds=" + (s - seed + 1) : ""));
        }
    }

    /**
     * One scenario; several run one after the other on the same two servers (both hold the same
     * state), each ending with every lease of the scenarios revoked, which frees its locks and
     * elections.
     */
    private void scenario(long seed, int steps, String replay) throws IOException {
        GatewayRequestGenerator scenario = new GatewayRequestGenerator(seed, steps);
        int first = stepNo;
        ArrayDeque<String> recent = new ArrayDeque<>();
        while (scenario.hasNext()) {
            GatewayStep step = scenario.next();
            stepNo++;
            String difference = run(step);
            if (difference != null) {
                throw new AssertionError("seed " + seed + " (replay: " + replay + "), step " + (stepNo - first) + ": "
                        + step + "\n" + difference
                        + "\nthe steps before it:\n" + String.join("\n", recent));
            }
            recent.addLast((stepNo - first) + ": " + step);
            if (recent.size() > 8) {
                recent.removeFirst();
            }
        }
        assertThat(stepNo - first).isGreaterThanOrEqualTo(steps);
        for (long lease : GatewayRequestGenerator.LEASES) {
            for (int port : new int[] {refPort, ourPort}) {
                RawHttp.exchange(port, "POST", "/v3/lease/revoke", List.of(), "{\"ID\":\"" + lease + "\"}");
            }
        }
        refTokens.clear();
        ourTokens.clear();
    }

    /** Sends the step to both; null when the answers agree, else both answers. */
    private String run(GatewayStep step) throws IOException {
        return switch (step.kind()) {
            case WATCH -> watch(step);
            case FIRST_MESSAGE -> firstMessage(step);
            default -> unary(step);
        };
    }

    private String unary(GatewayStep step) throws IOException {
        HttpReply ref = post(refPort, step, refTokens);
        HttpReply our = post(ourPort, step, ourTokens);
        String difference = differ(seen(ref, step.masked()), seen(our, step.masked()));
        if (difference != null) {
            return difference;
        }
        Object refTree = CanonicalJson.parse(ref.body());
        step.onReference().accept(refTree);
        if (step.kind() == GatewayStep.Kind.AUTHENTICATE) {
            keep(refTokens, step.user(), refTree);
            keep(ourTokens, step.user(), CanonicalJson.parse(our.body()));
        } else if (step.kind() == GatewayStep.Kind.GRANT_ANY_ID) {
            revokeGranted(refPort, refTree);
            revokeGranted(ourPort, CanonicalJson.parse(our.body()));
        }
        return null;
    }

    private String firstMessage(GatewayStep step) throws IOException {
        try (StreamedLines ref = StreamedLines.open(refPort, step.path(), step.body(), authorization(refTokens, step.user()));
             StreamedLines our = StreamedLines.open(ourPort, step.path(), step.body(), authorization(ourTokens, step.user()))) {
            ref.awaitLines(STREAM_DEADLINE, l -> !l.isEmpty());
            our.awaitLines(STREAM_DEADLINE, l -> !l.isEmpty());
            return differ(head(ref) + first(ref.lines(), step.masked()), head(our) + first(our.lines(), step.masked()));
        }
    }

    /**
     * The step's create requests after a sentinel watch (a key written only at the end); once
     * every watch is created the writes go to both, then the sentinel key; once the sentinel's
     * event came the events of every watch must agree.
     */
    private String watch(GatewayStep step) throws IOException {
        // below "k", out of every random range: those then hold at most the generator's 7 keys, and
        // ties of a sort by value or revision keep key order on both (Go's sort, under etcd 3.4, is
        // stable only up to 12 elements, ours always: mvcc/README.md)
        String sentinelKey = Base64.getEncoder().encodeToString(("Sentinel/" + stepNo).getBytes(StandardCharsets.UTF_8));
        String body = "{\"create_request\":{\"key\":\"" + sentinelKey + "\"}}\n" + step.body();
        int creates = 1 + step.creates(); // the sentinel's and those the gateway decodes
        try (StreamedLines ref = StreamedLines.open(refPort, step.path(), body, List.of());
             StreamedLines our = StreamedLines.open(ourPort, step.path(), body, List.of())) {
            String heads = differ(head(ref), head(our));
            if (heads != null) {
                return heads;
            }
            for (StreamedLines s : List.of(ref, our)) {
                s.awaitLines(STREAM_DEADLINE, l -> l.stream().filter(x -> x.contains("\"created\":true")).count() >= creates);
            }
            for (GatewayStep write : step.writes()) {
                String difference = unary(write);
                if (difference != null) {
                    return "while watching, " + write + "\n" + difference;
                }
            }
            String difference = unary(GatewayStep.unary("/v3/kv/put", "{\"key\":\"" + sentinelKey + "\",\"value\":\"c2VudGluZWw=\"}"));
            if (difference != null) {
                return "the sentinel put\n" + difference;
            }
            for (StreamedLines s : List.of(ref, our)) {
                s.awaitLines(STREAM_DEADLINE, l -> l.stream().anyMatch(x -> x.contains(sentinelKey) && isSentinelEvent(x)));
            }
            // an unsynced watcher (start_revision in the past) may still be catching up
            our.awaitLines(CATCH_UP, l -> watches(l).equals(watches(ref.lines())));
            return differ(watches(ref.lines()), watches(our.lines()));
        }
    }

    /** A message of the sentinel watch (the stream's first, so ID 0, omitted) carrying events. */
    private static boolean isSentinelEvent(String line) {
        return CanonicalJson.parse(line) instanceof Map<?, ?> m && m.get("result") instanceof Map<?, ?> r
                && r.get("watch_id") == null && r.get("events") instanceof List<?>;
    }

    /**
     * Each watch's messages in order, under its ID: a message with events as its events alone
     * (how many revisions one message carries, and its header, depend on when an unsynced watcher
     * caught up), any other message whole.
     */
    private static String watches(List<String> lines) {
        Map<String, List<String>> byWatch = new LinkedHashMap<>();
        for (String line : lines) {
            Object tree = CanonicalJson.parse(line);
            if (!(tree instanceof Map<?, ?> m) || !(m.get("result") instanceof Map<?, ?> result)) {
                byWatch.computeIfAbsent("not a result", k -> new ArrayList<>()).add(CanonicalJson.body(line, BY_NATURE));
                continue;
            }
            List<String> seen = byWatch.computeIfAbsent(String.valueOf(result.get("watch_id")), k -> new ArrayList<>());
            if (result.get("events") instanceof List<?> events) {
                events.forEach(e -> seen.add(CanonicalJson.render(e, BY_NATURE)));
            } else {
                seen.add(CanonicalJson.render(result, BY_NATURE));
            }
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(byWatch).forEach((id, messages) -> out.append("watch ").append(id).append(":\n")
                .append(String.join("\n", messages)).append('\n'));
        return out.toString();
    }

    // ------------------------------------------------------------------ comparison

    private static String differ(String want, String got) {
        return want.equals(got) ? null : "--- etcd:\n" + want + "\n--- ours:\n" + got;
    }

    private static String seen(HttpReply r, Set<String> masked) {
        return r.status() + "\nContent-Type: " + header(r, "Content-Type") + "\n" + CanonicalJson.body(r.body(), masks(masked));
    }

    private static String head(StreamedLines s) {
        return s.status() + "\nContent-Type: " + s.contentType() + "\n";
    }

    private static String first(List<String> lines, Set<String> masked) {
        return lines.isEmpty() ? "(nothing)" : CanonicalJson.body(lines.get(0), masks(masked));
    }

    private static Set<String> masks(Set<String> step) {
        Set<String> all = new HashSet<>(BY_NATURE);
        all.addAll(step);
        return all;
    }

    private static String header(HttpReply r, String name) {
        return r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ requests

    private static HttpReply post(int port, GatewayStep step, Map<String, String> tokens) throws IOException {
        return RawHttp.exchange(port, "POST", step.path(), authorization(tokens, step.user()), step.body());
    }

    private static List<Map.Entry<String, String>> authorization(Map<String, String> tokens, String user) {
        String token = user == null ? null : tokens.get(user);
        return token == null ? List.of() : List.of(Map.entry("Authorization", token));
    }

    private static void keep(Map<String, String> tokens, String user, Object reply) {
        if (reply instanceof Map<?, ?> m && m.get("token") instanceof String token) {
            tokens.put(user, token);
        }
    }

    /** A lease granted with ID 0 got a different ID on each server: each revokes its own. */
    private static void revokeGranted(int port, Object reply) throws IOException {
        if (reply instanceof Map<?, ?> m && m.get("ID") instanceof String id) {
            HttpReply revoked = RawHttp.exchange(port, "POST", "/v3/lease/revoke", List.of(), "{\"ID\":\"" + id + "\"}");
            assertThat(revoked.status()).as(revoked.transcript()).isEqualTo(200);
        }
    }
}
