package io.etcdj.etcdctl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One command-line flag with pflag semantics: a typed current value, the rendered default, and
 * whether the command line (or an ETCDCTL_* variable) changed it.
 *
 * <p>Invariant: {@code value} always holds a value of the Java type matching {@link #kind()}:
 * Boolean, String, Long (INT and INT64), Long nanoseconds (DURATION), List&lt;String&gt; (STRING_SLICE).
 */
public final class Flag {
    private final String name;
    private final String shorthand;
    private final FlagKind kind;
    private final String usage;
    private final String defValue;
    private Object value;
    private boolean changed;
    private boolean required;

    Flag(String name, String shorthand, FlagKind kind, Object initial, String usage) {
        this.name = name;
        this.shorthand = shorthand == null ? "" : shorthand;
        this.kind = kind;
        this.usage = usage;
        this.value = initial;
        this.defValue = render(kind, initial);
    }

    public String name() { return name; }
    public String shorthand() { return shorthand; }
    public FlagKind kind() { return kind; }
    public String usage() { return usage; }
    public String defValue() { return defValue; }
    public boolean changed() { return changed; }
    public Object value() { return value; }
    /** Whether the command refuses to run unless it is given (cobra's MarkFlagRequired). */
    public boolean required() { return required; }

    /** Marks it required (cobra's MarkFlagRequired); returns this. */
    public Flag markRequired() {
        required = true;
        return this;
    }

    /** pflag's NoOptDefVal: only bool flags may be given without a value. */
    public boolean takesNoValue() {
        return kind == FlagKind.BOOL;
    }

    /** Sets the flag from text as pflag's Value.Set does; a string slice appends after its first set. */
    public void set(String text) throws FlagValueException {
        switch (kind) {
            case BOOL -> value = GoStrconv.parseBool(text);
            case STRING -> value = text;
            case INT -> value = GoStrconv.parseInt(text, 10, 64);
            case INT64 -> value = GoStrconv.parseInt(text, 10, 64);
            case UINT -> value = GoStrconv.parseUint(text, 10);
            case DURATION -> value = GoDuration.parse(text);
            case STRING_SLICE -> {
                List<String> parsed = GoStrconv.readCsvRecord(text);
                if (!changed) {
                    value = new ArrayList<>(parsed);
                } else {
                    @SuppressWarnings("unchecked")
                    List<String> current = new ArrayList<>((List<String>) value);
                    current.addAll(parsed);
                    value = current;
                }
            }
        }
        changed = true;
    }

    /** How the default appears in usage text (pflag's DefValue). */
    static String render(FlagKind kind, Object v) {
        return switch (kind) {
            case BOOL -> Boolean.toString((Boolean) v);
            case STRING -> (String) v;
            case INT, INT64 -> Long.toString((Long) v);
            case UINT -> Long.toUnsignedString((Long) v);
            case DURATION -> GoDuration.format((Long) v);
            case STRING_SLICE -> {
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) v;
                yield "[" + String.join(",", l) + "]";
            }
        };
    }

    /** The current value as pflag's Value.String() prints it (what etcdctl --debug lists). */
    public String valueText() {
        return render(kind, value);
    }

    /** The name used in error messages: "-w, --write-out" or "--limit". */
    String displayName() {
        return shorthand.isEmpty() ? "--" + name : "-" + shorthand + ", --" + name;
    }
}
