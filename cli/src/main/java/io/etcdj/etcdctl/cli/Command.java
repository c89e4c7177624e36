package io.etcdj.etcdctl.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One node of the command tree (cobra's Command): its usage texts, its own flags, the persistent
 * flags it passes to its descendants, its children, and the body that runs it (null when the
 * command only groups subcommands, in which case invoking it prints its usage).
 */
public final class Command {
    /** What a runnable command does once its flags are parsed. */
    @FunctionalInterface
    public interface Body {
        void run(Invocation inv) throws Exception;
    }

    private final String use;
    private final String shortText;
    private final String longText;
    private final FlagSet flags = new FlagSet();
    private final FlagSet persistentFlags = new FlagSet();
    private final List<Command> children = new ArrayList<>();
    private Command parent;
    private Body body;
    private Flag help;
    private boolean flagsInUseLine = true;
    private boolean hidden;

    public Command(String use, String shortText, String longText, Body body) {
        this.use = use;
        this.shortText = shortText;
        this.longText = longText == null ? "" : longText;
        this.body = body;
    }

    public Command(String use, String shortText, Body body) {
        this(use, shortText, "", body);
    }

    public Command add(Command... cs) {
        for (Command c : cs) {
            c.parent = this;
            children.add(c);
        }
        return this;
    }

    public FlagSet flags() { return flags; }
    public FlagSet persistentFlags() { return persistentFlags; }
    public String use() { return use; }
    public String shortText() { return shortText; }
    public String longText() { return longText; }
    public Command parent() { return parent; }
    public Body body() { return body; }
    public void setBody(Body b) { body = b; }
    public boolean runnable() { return body != null; }
    /** Whether its usage line ends in " [flags]" (cobra's !DisableFlagsInUseLine). */
    public boolean flagsInUseLine() { return flagsInUseLine; }
    /** Drops " [flags]" from its usage line, as cobra's DisableFlagsInUseLine does; returns this. */
    public Command withoutFlagsInUseLine() {
        flagsInUseLine = false;
        return this;
    }

    /** Whether help pages and suggestions leave it out (cobra's Hidden); it still runs. */
    public boolean hidden() { return hidden; }

    /** Leaves it out of help pages and suggestions, as cobra's Hidden does; returns this. */
    public Command hide() {
        hidden = true;
        return this;
    }

    public String name() {
        int sp = use.indexOf(' ');
        return sp < 0 ? use : use.substring(0, sp);
    }

    public List<Command> children() {
        List<Command> sorted = new ArrayList<>(children);
        sorted.sort(Comparator.comparing(Command::name));
        return sorted;
    }

    public boolean hasChildren() {
        return !children.isEmpty();
    }

    public String path() {
        return parent == null ? name() : parent.path() + " " + name();
    }

    public Command root() {
        return parent == null ? this : parent.root();
    }

    /** Cobra's default -h/--help flag, added on first use. */
    public Flag helpFlag() {
        if (help == null) {
            help = flags.bool("help", "h", false, "help for " + name());
        }
        return help;
    }

    /** Own flags plus own persistent flags (cobra's LocalFlags). */
    public FlagSet localFlags() {
        FlagSet fs = new FlagSet();
        flags.all().forEach(fs::add);
        persistentFlags.all().forEach(fs::add);
        return fs;
    }

    /** Persistent flags of all ancestors (cobra's InheritedFlags); nearer ancestors win. */
    public FlagSet inheritedFlags() {
        FlagSet fs = new FlagSet();
        for (Command c = parent; c != null; c = c.parent) {
            for (Flag f : c.persistentFlags.all()) {
                if (fs.lookup(f.name()) == null && flags.lookup(f.name()) == null
                        && persistentFlags.lookup(f.name()) == null) {
                    fs.add(f);
                }
            }
        }
        return fs;
    }

    /** Everything this command accepts on its command line (cobra's Flags() after merging). */
    public FlagSet allFlags() {
        FlagSet fs = localFlags();
        inheritedFlags().all().forEach(fs::add);
        return fs;
    }

    /** Finds a flag by name among all flags this command accepts. */
    public Flag flag(String name) {
        return allFlags().lookup(name);
    }
}
