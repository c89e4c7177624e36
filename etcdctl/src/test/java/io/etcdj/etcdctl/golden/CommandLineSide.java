package io.etcdj.etcdctl.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the runs a randomized differential test compares: an etcdctl (Debian's or ours) against
 * one server that started empty. It turns a generated line's placeholders into this server's values
 * (its i-th granted lease, its current revision), and masks in the output what is this server's
 * own: its lease IDs (as {@code LEASE<i>}), its cluster and member IDs, its address.
 */
final class CommandLineSide {
    /** Hex ID that no server grants in a run: what {@code {lease:i}} means past the last granted lease. */
    static final String UNGRANTED_LEASE = "1234abcd";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(lease:([0-9]+)|rev([+-][0-9]+)?)}");
    private static final Pattern GRANTED_HEX = Pattern.compile("^lease ([0-9a-f]+) granted");
    private static final Pattern GRANTED_DEC = Pattern.compile("\"ID\" ?: ?([0-9]+)");
    private static final List<ToolRun.Mask> SERVER_OWN = List.of(
            new ToolRun.Mask("\"(cluster_id|member_id)\":[0-9]+", "\"$1\":ID"),
            new ToolRun.Mask("\"(ClusterID|MemberID)\" : [0-9]+", "\"$1\" : ID"),
            new ToolRun.Mask("(cluster_id|member_id): [0-9]+", "$1: ID"),
            new ToolRun.Mask("127\\.0\\.0\\.1:[0-9]+", "EP"));
    /** A lease's remaining time counts down while a run goes on. */
    private static final List<ToolRun.Mask> REMAINING_TTL = List.of(
            new ToolRun.Mask("remaining\\([0-9]+s\\)", "remaining(Ns)"),
            new ToolRun.Mask("\"ttl\":[0-9]+", "\"ttl\":N"),
            new ToolRun.Mask("\"TTL\" : [0-9]+", "\"TTL\" : N"));

    /** Runs one etcdctl with this side's environment. */
    interface Tool {
        ToolRun run(List<String> args, Map<String, String> env, String stdin) throws Exception;
    }

    private final String name;
    private final EtcdProcess server;
    private final Tool tool;
    private final List<Long> leases = new ArrayList<>();

    CommandLineSide(String name, EtcdProcess server, Tool tool) {
        this.name = name;
        this.server = server;
        this.tool = tool;
    }

    String name() {
        return name;
    }

    /** The line's arguments with this side's leases and revisions in place of the placeholders. */
    List<String> substitute(List<String> args) {
        List<String> out = new ArrayList<>();
        Long revision = null;
        for (String a : args) {
            Matcher m = PLACEHOLDER.matcher(a);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String value;
                if (m.group(2) != null) {
                    int i = Integer.parseInt(m.group(2));
                    // zero-padded: two servers' IDs then print equally long (a txn panic shows the line's length)
                    value = i < leases.size() ? String.format("%016x", leases.get(i)) : UNGRANTED_LEASE;
                } else {
                    revision = revision != null ? revision : currentRevision();
                    value = Long.toString(revision + (m.group(3) == null ? 0 : Long.parseLong(m.group(3))));
                }
                m.appendReplacement(b, value);
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    /** Runs the line (substituted) and returns what it printed, masked; learns a lease it granted. */
    ToolRun run(RandomCommandLines.Line line, List<String> args, List<ToolRun.Mask> common) throws Exception {
        ToolRun raw = tool.run(args, env(), substitute(List.of(line.stdin())).get(0));
        if (line.command().equals("lease") && args.contains("grant")) {
            grantedLease(raw).ifPresent(leases::add);
        }
        ToolRun run = new ToolRun(args.contains("protobuf") && raw.code() == 0
                ? ProtobufOutput.asText(line.command(), raw.stdout()) : raw.stdout(), raw.stderr(), raw.code());
        List<ToolRun.Mask> masks = new ArrayList<>(common);
        masks.addAll(SERVER_OWN);
        if (args.contains("timetolive")) {
            masks.addAll(REMAINING_TTL);
        }
        for (int i = leases.size() - 1; i >= 0; i--) {
            masks.add(new ToolRun.Mask("(?<![0-9a-f])0*" + Long.toHexString(leases.get(i)) + "(?![0-9a-f])", "LEASE" + i));
            masks.add(new ToolRun.Mask("(?<![0-9])" + leases.get(i) + "(?![0-9])", "LEASE" + i));
        }
        return run.masked(masks);
    }

    /**
     * The ID a grant printed, or (protobuf prints only the header; table fails after granting) the one
     * lease listed now that is not known yet; none when nothing was granted.
     */
    private Optional<Long> grantedLease(ToolRun grant) {
        Matcher hex = GRANTED_HEX.matcher(grant.stdout());
        if (grant.code() == 0 && hex.find()) {
            return Optional.of(Long.parseUnsignedLong(hex.group(1), 16));
        }
        Matcher dec = GRANTED_DEC.matcher(grant.stdout());
        if (grant.code() == 0 && dec.find()) {
            return Optional.of(Long.parseLong(dec.group(1)));
        }
        ToolRun list = ToolRun.ours(List.of("-w", "json", "lease", "list"), env(), "");
        Matcher ids = Pattern.compile("\"id\":([0-9]+)").matcher(list.stdout());
        List<Long> unknown = new ArrayList<>();
        while (ids.find()) {
            long id = Long.parseLong(ids.group(1));
            if (!leases.contains(id)) {
                unknown.add(id);
            }
        }
        if (unknown.size() > 1) {
            throw new AssertionError(name + ": cannot tell which lease was granted: " + grant + "\nlist: " + list);
        }
        return unknown.stream().findFirst();
    }

    private long currentRevision() {
        ToolRun r = ToolRun.ours(List.of("-w", "json", "get", "nosuch"), env(), "");
        Matcher m = Pattern.compile("\"revision\":([0-9]+)").matcher(r.stdout());
        if (!m.find()) {
            throw new AssertionError(name + ": no revision in " + r);
        }
        return Long.parseLong(m.group(1));
    }

    private Map<String, String> env() {
        return Map.of("ETCDCTL_ENDPOINTS", server.endpoint());
    }
}
